import { md5Hex } from '../emulator/deterministic';
import { callsOf, errorText, expectNoSecrets, ICE, runArchive, useEmulator } from './setup';

describe('ICE Archive: Get Instance', () => {
	const ctx = useEmulator();

	it('outputs the instance as the API returns it, with UserData parsed', async () => {
		const result = await runArchive(ctx.emu, { operation: 'getInstance', instanceId: ICE.seedInstanceId });

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		const json = result.items[0].json;
		expect(Object.keys(json)[0]).toBe('instanceId');
		expect(json).toMatchObject({
			instanceId: ICE.seedInstanceId,
			Status: 'Finished',
			SessionId: ICE.sessionId,
			GmtCreate: '2025-08-14T02:21:12.000+00:00',
			AgentConfig: { TtsConfig: { VoiceId: 'zhixiaoxia' }, LlmConfig: { LlmHistoryLimit: 10 } },
			CallInfo: { HangupRole: 1, Status: '4' },
		});
		expect(json.UserData).toEqual({ customer: expect.any(String), topic: expect.any(String), ticket: 'T100000' });
		expect(callsOf(ctx.emu, 'DescribeAIAgentInstance')[0].query.InstanceId).toBe(ICE.seedInstanceId);
	});

	it('masks RTC AuthTokens and drops the signature from CallLogUrl', async () => {
		const result = await runArchive(ctx.emu, { operation: 'getInstance', instanceId: ICE.seedInstanceId });

		const json = result.items[0].json as { RuntimeConfig: Record<string, unknown>; CallLogUrl: string };
		expect(json.RuntimeConfig.AuthToken).toBe('***');
		expect((json.RuntimeConfig.VoiceChat as Record<string, unknown>).AuthToken).toBe('***');
		expect(json.RuntimeConfig.ChannelId).toMatch(/^channel_/);
		expect(json.CallLogUrl).toBe(`${ctx.emu.url}/calllogs/${ICE.seedInstanceId}.json?…`);
		const text = JSON.stringify(result.run);
		expect(text).not.toContain(md5Hex(`${ICE.seedInstanceId}:token`));
		expectNoSecrets(result.run);
	});

	it('outputs a running instance with its empty CallLogUrl as it is', async () => {
		const result = await runArchive(ctx.emu, { operation: 'getInstance', instanceId: ICE.executingInstanceId });

		expect(result.items[0].json).toMatchObject({ instanceId: ICE.executingInstanceId, Status: 'Executing', CallLogUrl: '' });
		expect(result.items[0].json.CallInfo).toBeUndefined();
	});

	it('fails clearly for an unknown instance and, under continue-on-fail, keeps the other items', async () => {
		const failed = await runArchive(ctx.emu, { operation: 'getInstance', instanceId: ICE.unknownInstanceId });
		expect(errorText(failed.error)).toContain(`Forbidden.ResourceNotFound: The specified AI agent instance ${ICE.unknownInstanceId}`);

		const result = await runArchive(
			ctx.emu,
			{ operation: 'getInstance', instanceId: '={{ $json.id }}' },
			{ input: [{ id: ICE.unknownInstanceId }, { id: ICE.seedInstanceId }], continueOnFail: true },
		);
		expect(result.items).toHaveLength(2);
		expect(result.items[0]).toMatchObject({ pairedItem: { item: 0 }, json: { error: expect.stringContaining(ICE.unknownInstanceId) } });
		expect(result.items[1]).toMatchObject({ pairedItem: { item: 1 }, json: { instanceId: ICE.seedInstanceId } });
	});

	it('asks for an Instance ID when it is empty, before calling the API', async () => {
		const result = await runArchive(ctx.emu, { operation: 'getInstance', instanceId: '  ' });

		expect(result.error?.message).toBe('Instance ID is empty');
		expect(ctx.emu.requests).toHaveLength(0);
	});
});
