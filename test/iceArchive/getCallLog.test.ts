import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { EMULATOR_KEYS } from '../emulator';
import { generatedInstanceId } from '../emulator/services/ice-data';
import { callLogDownloads, callsOf, errorText, expectNoSecrets, ICE, runArchive, useEmulator } from './setup';

const SEED_LOG = JSON.parse(
	readFileSync(join(__dirname, '..', 'emulator', 'fixtures', 'call-log-seed.json'), 'utf8'),
) as { startTime: number; dialog: Array<{ id: number; begin: number; role: string; type: string; text: string }> };

const byId = (instanceId: string) => ({ operation: 'getCallLog', instanceId });

describe('ICE Archive: Get Call Log', () => {
	const ctx = useEmulator();

	it('describes the instance, downloads its log and outputs the conversation with the small call-level fields', async () => {
		const result = await runArchive(ctx.emu, byId(ICE.seedInstanceId));

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		const json = result.items[0].json;
		expect(json.instanceId).toBe(ICE.seedInstanceId);
		expect(json.instanceIdSource).toBe('describe');
		expect(json.status).toBe('Finished');
		expect(json.conversation).toEqual({
			source: 'ice',
			sessionId: ICE.sessionId,
			instanceId: ICE.seedInstanceId,
			startedAt: new Date(SEED_LOG.startTime * 1000).toISOString(),
			sentences: SEED_LOG.dialog.map(({ id, begin, role, type, text }) => ({ id, begin, role, type, text })),
		});
		// The raw log is opt-in: by default n8n stores each call once, as the conversation.
		expect(Object.keys(json)).toEqual(['instanceId', 'instanceIdSource', 'status', 'agentUserId', 'startedAt', 'conversation']);
		expect(json.agentUserId).toBe((SEED_LOG as unknown as { agentUserId: string }).agentUserId);
		expect(json.startedAt).toBe(new Date(SEED_LOG.startTime * 1000).toISOString());
		expect(result.items[0].pairedItem).toEqual({ item: 0 });

		const describe = callsOf(ctx.emu, 'DescribeAIAgentInstance');
		expect(describe).toHaveLength(1);
		expect(describe[0].query.InstanceId).toBe(ICE.seedInstanceId);
		expect(callLogDownloads(ctx.emu).map((r) => r.path)).toEqual([`/calllogs/${ICE.seedInstanceId}.json`]);
	});

	it('adds the raw call log, exactly as downloaded, with Include Raw Call Log', async () => {
		const result = await runArchive(ctx.emu, { ...byId(ICE.seedInstanceId), options: { includeRawCallLog: true } });

		expect(result.error).toBeUndefined();
		const json = result.items[0].json;
		expect(json.callLog).toEqual({ ...SEED_LOG, instanceid: ICE.seedInstanceId });
		expect((json.conversation as { sentences: unknown[] }).sentences).toHaveLength(ICE.seedSentenceCount);
	});

	it('streams a log bigger than its first chunks and maps every sentence in order (big-3000, ~390 KB)', async () => {
		const result = await runArchive(ctx.emu, byId('big-3000'));

		expect(result.error).toBeUndefined();
		const { sentences, sessionId } = result.items[0].json.conversation as {
			sessionId: string;
			sentences: Array<{ id: number; role: string; text: string; begin: number }>;
		};
		expect(sentences).toHaveLength(3000);
		expect(sentences.map((s) => s.id)).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1));
		expect(sentences[0]).toMatchObject({ role: 'agent', type: 'greeting' });
		expect(sentences[2999]).toMatchObject({ role: 'user', text: '第1500个问题：我想了解一下订单的情况。' });
		expect(sessionId).toBeTruthy();
		expect(result.items[0].json.agentUserId).toMatch(/^AGENT_USER/);
	});

	it('is the default operation', async () => {
		const result = await runArchive(ctx.emu, { instanceId: ICE.finishedInstanceIds[1] });

		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.instanceId).toBe(ICE.finishedInstanceIds[1]);
		expect((result.items[0].json.conversation as { sentences: unknown[] }).sentences).toHaveLength(5);
	});

	it('outputs sentences in spoken order', async () => {
		const result = await runArchive(ctx.emu, byId(ICE.finishedInstanceIds[2]));

		const sentences = (result.items[0].json.conversation as { sentences: Array<{ begin: number; id: number }> })
			.sentences;
		expect(sentences).toHaveLength(6);
		const begins = sentences.map((s) => s.begin);
		expect(begins).toEqual([...begins].sort((a, b) => a - b));
		expect(sentences.map((s) => s.id)).toEqual([1, 2, 3, 4, 5, 6]);
		expect(sentences[0]).toMatchObject({ role: 'agent', type: 'greeting' });
	});

	it('splits into one item per sentence, each paired with its input item', async () => {
		const result = await runArchive(
			ctx.emu,
			{ operation: 'getCallLog', instanceId: '={{ $json.id }}', options: { splitIntoItems: true } },
			{ input: [{ id: ICE.seedInstanceId }, { id: ICE.finishedInstanceIds[1] }] },
		);

		expect(result.items).toHaveLength(ICE.seedSentenceCount + 5);
		const first = result.items.slice(0, ICE.seedSentenceCount);
		const second = result.items.slice(ICE.seedSentenceCount);
		expect(first.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		expect(second.every((item) => (item.pairedItem as { item: number }).item === 1)).toBe(true);
		expect(first.map((item) => item.json.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
		expect(first[1].json).toEqual({
			instanceId: ICE.seedInstanceId,
			instanceIdSource: 'describe',
			status: 'Finished',
			sessionId: ICE.sessionId,
			startedAt: new Date(SEED_LOG.startTime * 1000).toISOString(),
			index: 1,
			role: 'user',
			text: SEED_LOG.dialog[1].text,
			begin: SEED_LOG.dialog[1].begin,
			id: 2,
			type: 'normal',
		});
		expect(second.every((item) => item.json.instanceId === ICE.finishedInstanceIds[1])).toBe(true);
	});

	it('describes the next instances while earlier logs download: Concurrency of each in flight, both at once', async () => {
		ctx.emu.addFault({ kind: 'latency', latencyMs: 40, match: { action: 'DescribeAIAgentInstance' }, times: Infinity });
		ctx.emu.addFault({ kind: 'latency', latencyMs: 40, match: { pathIncludes: '/calllogs/' }, times: Infinity });
		const ids = Array.from({ length: 10 }, (_, i) => generatedInstanceId(ICE.agentId, i));
		const peak = { describes: 0, downloads: 0, both: 0 };
		const poll = setInterval(() => {
			const open = ctx.emu.requests.filter((request) => request.status === 0);
			const describes = open.filter((request) => request.action === 'DescribeAIAgentInstance').length;
			const downloads = open.filter((request) => request.path.startsWith('/calllogs/')).length;
			peak.describes = Math.max(peak.describes, describes);
			peak.downloads = Math.max(peak.downloads, downloads);
			peak.both = Math.max(peak.both, describes + downloads);
		}, 2);

		const result = await runArchive(
			ctx.emu,
			{ operation: 'getCallLog', instanceId: '={{ $json.id }}', options: { concurrency: 2 } },
			{ input: ids.map((id) => ({ id })) },
		).finally(() => clearInterval(poll));

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.instanceId)).toEqual(ids);
		expect(result.items.map((item) => item.pairedItem)).toEqual(ids.map((_id, item) => ({ item })));
		expect(callsOf(ctx.emu, 'DescribeAIAgentInstance')).toHaveLength(10);
		expect(callLogDownloads(ctx.emu)).toHaveLength(10);
		// Each allowance holds; a Describe waits for no download, so more than 2 are open at once.
		expect(peak.describes).toBeLessThanOrEqual(2);
		expect(peak.downloads).toBeLessThanOrEqual(2);
		expect(peak.both).toBeGreaterThanOrEqual(3);
	});

	it('retries a throttled DescribeAIAgentInstance and then succeeds', async () => {
		ctx.emu.addFault({ kind: 'throttle', match: { action: 'DescribeAIAgentInstance' }, times: 2 });

		const result = await runArchive(ctx.emu, byId(ICE.seedInstanceId));

		expect(result.error).toBeUndefined();
		expect(result.items[0].json.instanceId).toBe(ICE.seedInstanceId);
		expect(callsOf(ctx.emu, 'DescribeAIAgentInstance').map((r) => r.status)).toEqual([400, 400, 200]);
	});

	describe('failures', () => {
		it('says a call that is still running has no call log yet, without downloading', async () => {
			const result = await runArchive(ctx.emu, byId(ICE.executingInstanceId));

			const text = errorText(result.error);
			expect(text).toContain(`Instance ${ICE.executingInstanceId} is still running`);
			expect(text).toContain('after the call ends');
			expect(callLogDownloads(ctx.emu)).toHaveLength(0);
		});

		it('surfaces the API error code of an unknown instance, without a misleading hint', async () => {
			const result = await runArchive(ctx.emu, byId(ICE.unknownInstanceId));

			expect(result.error?.message).toBe(
				`Alibaba Cloud ICE DescribeAIAgentInstance failed: Forbidden.ResourceNotFound: The specified AI agent instance ${ICE.unknownInstanceId} does not exist.`,
			);
			expect(result.error?.description).toMatch(/^Alibaba Cloud RequestId: [0-9A-F-]{36}\nHTTP status 404$/);
		});

		it('refuses a call log URL on a host that is not Alibaba Cloud or an endpoint', async () => {
			const result = await runArchive(ctx.emu, byId(ICE.offsiteLogInstanceId));

			const text = errorText(result.error);
			expect(text).toContain(`UntrustedUrl: The URL of the call log of instance ${ICE.offsiteLogInstanceId}`);
			expect(text).toContain('not an Alibaba Cloud host');
			expect(text).toContain('"Allowed Download Hosts"');
			expectNoSecrets({ result: result.run, text });
		});

		it('downloads from a host listed in Allowed Download Hosts', async () => {
			const result = await runArchive(ctx.emu, {
				...byId(ICE.offsiteLogInstanceId),
				options: { allowedDownloadHosts: 'files.example.com, 127.0.0.1' },
			});

			// The URL passed the check, so the node tried HTTPS against the (plain-HTTP) emulator.
			const text = errorText(result.error);
			expect(text).toContain(`Download of the call log of instance ${ICE.offsiteLogInstanceId} failed`);
			expect(text).not.toContain('UntrustedUrl');
			expect(text).toMatch(/EPROTO|SSL|TLS/i);
		});

		it('refuses a plain-HTTP call log URL even on an allowed host', async () => {
			const result = await runArchive(ctx.emu, {
				...byId(ICE.plainHttpLogInstanceId),
				options: { allowedDownloadHosts: '127.0.0.1' },
			});

			const text = errorText(result.error);
			expect(text).toContain(`The URL of the call log of instance ${ICE.plainHttpLogInstanceId} does not use HTTPS`);
			expectNoSecrets({ result: result.run, text });
		});

		it('stops at the Max Download Size option', async () => {
			const result = await runArchive(ctx.emu, { ...byId(ICE.seedInstanceId), options: { maxDownloadSizeMb: 0.001 } });

			const text = errorText(result.error);
			expect(text).toContain(`FileTooLarge: the call log of instance ${ICE.seedInstanceId}`);
			expect(text).toContain('larger than the 0.001 MB limit');
			expect(text).toContain('"Max Download Size (MB)"');
		});

		it('stops a log over the default 50 MB limit', async () => {
			const result = await runArchive(ctx.emu, byId(ICE.hugeLogInstanceId));

			const text = errorText(result.error);
			expect(text).toContain(`the call log of instance ${ICE.hugeLogInstanceId} is 64.1 MB, larger than the 50 MB limit`);
		});

		it.each([
			['an expired (403)', ICE.expiredLogInstanceId, '403 AccessDenied: Request has expired.'],
			['a missing (404)', ICE.missingLogInstanceId, '404 NoSuchKey: The specified key does not exist.'],
		])('turns %s link into an error that names the instance', async (_label, instanceId, status) => {
			const result = await runArchive(ctx.emu, { ...byId(instanceId), options: { waitForCallLog: false } });

			const text = errorText(result.error);
			expect(text).toContain(`FileUnavailable: the call log of instance ${instanceId} is not available (HTTP ${status})`);
			expect(text).toContain('Run the node again to get a fresh link');
			expectNoSecrets({ result: result.run, text });
		});

		it('turns an OSS link that expires between describe and download into the same clear error', async () => {
			ctx.emu.addFault({ kind: 'callLogExpired', match: { pathIncludes: ICE.seedInstanceId } });

			const result = await runArchive(ctx.emu, byId(ICE.seedInstanceId));

			expect(errorText(result.error)).toContain(`the call log of instance ${ICE.seedInstanceId} is not available (HTTP 403 AccessDenied`);
		});

		it('reports malformed JSON clearly', async () => {
			const result = await runArchive(ctx.emu, byId(ICE.malformedLogInstanceId));

			const text = errorText(result.error);
			expect(text).toContain(`InvalidJson: the call log of instance ${ICE.malformedLogInstanceId} is not valid JSON`);
		});

		it('fails on the first failing item and names its index without continue-on-fail', async () => {
			const result = await runArchive(
				ctx.emu,
				{ operation: 'getCallLog', instanceId: '={{ $json.id }}' },
				{ input: [{ id: ICE.seedInstanceId }, { id: ICE.malformedLogInstanceId }] },
			);

			expect(result.run.status).toBe('error');
			expect(result.error?.message).toContain(ICE.malformedLogInstanceId);
			expect(result.error?.context?.itemIndex).toBe(1);
		});

		it('starts no new item after a failure: only the items already in progress make calls', async () => {
			ctx.emu.addFault({ kind: 'latency', latencyMs: 30, match: { action: 'DescribeAIAgentInstance' }, times: Infinity });
			// Concurrency 1: two items in progress at most (one describing, one downloading or waiting).
			const ids = [ICE.unknownInstanceId, ...ICE.finishedInstanceIds.slice(0, 3)];
			const result = await runArchive(
				ctx.emu,
				{ operation: 'getCallLog', instanceId: '={{ $json.id }}', options: { concurrency: 1 } },
				{ input: ids.map((id) => ({ id })) },
			);

			expect(result.error?.context?.itemIndex).toBe(0);
			expect(result.error?.message).toMatch(/Forbidden\.ResourceNotFound/);
			const described = callsOf(ctx.emu, 'DescribeAIAgentInstance').map((call) => call.query.InstanceId);
			expect(described.length).toBeLessThanOrEqual(2);
			expect(described).not.toContain(ids[2]);
			expect(described).not.toContain(ids[3]);
		});

		it('keeps the other items going under continue-on-fail, with paired error items', async () => {
			const ids = [
				ICE.seedInstanceId,
				ICE.executingInstanceId,
				ICE.unknownInstanceId,
				ICE.malformedLogInstanceId,
				ICE.expiredLogInstanceId,
				ICE.offsiteLogInstanceId,
				ICE.finishedInstanceIds[1],
			];
			const result = await runArchive(
				ctx.emu,
				{ operation: 'getCallLog', instanceId: '={{ $json.id }}' },
				{ input: ids.map((id) => ({ id })), continueOnFail: true },
			);

			expect(result.run.status).toBe('success');
			expect(result.items).toHaveLength(ids.length);
			expect(result.items.map((item) => item.pairedItem)).toEqual(ids.map((_id, item) => ({ item })));
			expect(result.items[0].json.instanceId).toBe(ICE.seedInstanceId);
			expect(result.items[6].json.instanceId).toBe(ICE.finishedInstanceIds[1]);
			const errors = result.items.slice(1, 6).map((item) => String(item.json.error));
			expect(errors[0]).toContain('is still running');
			expect(errors[1]).toContain('Forbidden.ResourceNotFound');
			expect(errors[2]).toContain('InvalidJson');
			expect(errors[3]).toContain('HTTP 403');
			expect(errors[4]).toContain('UntrustedUrl');
			ids.slice(1, 6).forEach((id, index) => expect(errors[index]).toContain(id));
			expectNoSecrets(result.run);
		});

		it('never puts the AccessKey secret or a signed URL query into a failed run', async () => {
			const result = await runArchive(ctx.emu, byId(ICE.expiredLogInstanceId), {
				input: [{ secret: 'not here' }],
			});

			expect(result.error).toBeDefined();
			expectNoSecrets({ run: result.run, error: result.error, text: errorText(result.error) });
			// The signed Authorization header would carry these.
			expect(JSON.stringify(result.run)).not.toContain(`Credential=${EMULATOR_KEYS.accessKeyId}`);
		});
	});
});
