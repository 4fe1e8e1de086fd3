import { streamTokenCache } from '../../nodes/AlibabaChatbotChat/transport/streamAccessToken';
import { FIXTURES, RAM_ROLE_FIXTURES } from '../emulator';
import { runWorkflow } from '../helpers/engine';
import { ramRoleData, runIceWithRole, sleepMs, storedSession, useRamRoleEmulator } from './setup';

/** Stream tokens belong to whoever asked for them: with a RAM role, the assumed identity, not the temporary key. */
describe('Chatbot stream token cache keyed by the assumed identity', () => {
	const ctx = useRamRoleEmulator();
	beforeEach(() => streamTokenCache.clear());
	const tokenCalls = () => ctx.emu.requests.filter((r) => r.action === 'ApplyForStreamAccessToken');

	async function chat(data: ReturnType<typeof ramRoleData>, text: string) {
		const result = await runWorkflow({
			nodes: [
				{
					name: 'Chat',
					type: 'alibabaChatbotChat',
					parameters: {
						authentication: 'ramRole',
						operation: 'sendMessage',
						instanceId: FIXTURES.chatbot.instanceId,
						utterance: text,
						agentKey: FIXTURES.chatbot.agentKey,
					},
					credentials: ['alibabaCloudRamRoleApi'],
				},
			],
			credentials: { alibabaCloudRamRoleApi: data },
		});
		expect(result.error('Chat')).toBeUndefined();
		return result.output('Chat');
	}

	it('a renewed temporary key keeps the stream token; another role gets its own', async () => {
		ctx.emu.sts.lifetimeSeconds = 4;
		const stored = ramRoleData(ctx.emu.url);
		await chat(stored, 'one');
		const first = storedSession(stored)!;
		await sleepMs(Math.max(0, first.refreshAt - Date.now()) + 50);
		// Another node renews the key (the chat itself signs nothing while its stream token lasts).
		expect((await runIceWithRole(stored, FIXTURES.ice.seedInstanceId, 1)).error).toBeUndefined();
		await chat(stored, 'two');

		expect(storedSession(stored)!.accessKeyId).not.toBe(first.accessKeyId);
		expect(ctx.emu.sts.calls).toHaveLength(2);
		expect(tokenCalls()).toHaveLength(1);

		const otherRole = ramRoleData(ctx.emu.url, { roleArn: RAM_ROLE_FIXTURES.externalIdRoleArn, externalId: RAM_ROLE_FIXTURES.externalId });
		await chat(otherRole, 'three');
		expect(tokenCalls()).toHaveLength(2);
		expect(tokenCalls().every((r) => r.status === 200)).toBe(true);
	});
});
