import { performance } from 'node:perf_hooks';

import type { IDataObject } from 'n8n-workflow';

import { callLogDownloads, callsOf, errorText, expectNoSecrets, ICE, runArchive, useEmulator } from './setup';

/** The node's pauses: 0.5 s, then doubling (1 s, 2 s, …) up to 8 s. */
const FIRST_PAUSES_S = [0.5, 1, 2];

const getCallLog = (instanceId: string, options: IDataObject = {}) => ({ operation: 'getCallLog', instanceId, options });

async function timedRun(...args: Parameters<typeof runArchive>) {
	const start = performance.now();
	const result = await runArchive(...args);
	return { result, seconds: (performance.now() - start) / 1000 };
}

describe('ICE Archive: Get Call Log waits for a late log (Wait For Call Log)', () => {
	const ctx = useEmulator();

	it('asks again, with growing pauses, while the log link answers 404, and outputs the log once it is written', async () => {
		ctx.emu.addFault({ kind: 'callLogNotFound', match: { pathIncludes: ICE.seedInstanceId }, times: 2 });

		const { result, seconds } = await timedRun(ctx.emu, getCallLog(ICE.seedInstanceId));

		expect(result.error).toBeUndefined();
		expect((result.items[0].json.conversation as { sentences: unknown[] }).sentences).toHaveLength(ICE.seedSentenceCount);
		expect(callLogDownloads(ctx.emu).map((r) => r.status)).toEqual([404, 404, 200]);
		// The link itself was fine, so the instance was described once.
		expect(callsOf(ctx.emu, 'DescribeAIAgentInstance')).toHaveLength(1);
		const downloads = callLogDownloads(ctx.emu);
		expect(downloads[1].at - downloads[0].at).toBeGreaterThanOrEqual(FIRST_PAUSES_S[0] * 1000 - 20);
		expect(downloads[2].at - downloads[1].at).toBeGreaterThanOrEqual(FIRST_PAUSES_S[1] * 1000 - 20);
		expect(seconds).toBeGreaterThanOrEqual(FIRST_PAUSES_S[0] + FIRST_PAUSES_S[1] - 0.05);
	});

	it('describes again while the finished call has no log link yet, then downloads the log', async () => {
		ctx.emu.addFault({ kind: 'callLogUrlPending', match: { instanceId: ICE.seedInstanceId }, times: 2 });

		const { result } = await timedRun(ctx.emu, getCallLog(ICE.seedInstanceId));

		expect(result.error).toBeUndefined();
		expect(result.items[0].json.instanceId).toBe(ICE.seedInstanceId);
		expect(result.items[0].json.status).toBe('Finished');
		expect(callsOf(ctx.emu, 'DescribeAIAgentInstance')).toHaveLength(3);
		expect(callLogDownloads(ctx.emu)).toHaveLength(1);
	});

	it('gives up at the deadline with an error that names the instance and says what to do', async () => {
		const { result, seconds } = await timedRun(ctx.emu, getCallLog(ICE.missingLogInstanceId, { waitForCallLogSeconds: 2 }));

		const text = errorText(result.error);
		expect(text).toContain(`The call log of instance ${ICE.missingLogInstanceId} did not appear within 2 s`);
		expect(text).toContain('HTTP 404');
		expect(text).toContain('"Wait For Call Log Seconds"');
		// The last answer as the transport worded it, OSS's code and RequestId included: support needs them.
		expect(text).toMatch(/Last answer: .*HTTP 404 NoSuchKey: The specified key does not exist\./);
		expect(text).toMatch(/RequestId:? \S+/i);
		// 0.5 s + 1 s + what is left of the 2 s: four tries, the last one at the deadline.
		expect(callLogDownloads(ctx.emu).length).toBe(4);
		expect(seconds).toBeGreaterThanOrEqual(2 - 0.05);
		expect(seconds).toBeLessThan(4);
		expectNoSecrets({ run: result.run, text });
	});

	it('names a log link that never appeared, once the wait is over', async () => {
		ctx.emu.addFault({ kind: 'callLogUrlPending', match: { instanceId: ICE.seedInstanceId }, times: Infinity });

		const { result } = await timedRun(ctx.emu, getCallLog(ICE.seedInstanceId, { waitForCallLogSeconds: 1 }));

		const text = errorText(result.error);
		expect(text).toContain(`The call log of instance ${ICE.seedInstanceId} did not appear within 1 s`);
		expect(text).toContain('has not published its log link yet');
		expect(callsOf(ctx.emu, 'DescribeAIAgentInstance').length).toBeGreaterThanOrEqual(2);
		expect(callLogDownloads(ctx.emu)).toHaveLength(0);
	});

	it('does not wait when Wait For Call Log is off: a 404 fails at once', async () => {
		const { result, seconds } = await timedRun(ctx.emu, getCallLog(ICE.missingLogInstanceId, { waitForCallLog: false }));

		expect(errorText(result.error)).toContain(
			`FileUnavailable: the call log of instance ${ICE.missingLogInstanceId} is not available (HTTP 404 NoSuchKey: The specified key does not exist.)`,
		);
		expect(callLogDownloads(ctx.emu)).toHaveLength(1);
		expect(seconds).toBeLessThan(FIRST_PAUSES_S[0]);
	});

	it('does not wait when Wait For Call Log is off: a finished call without a link fails at once', async () => {
		ctx.emu.addFault({ kind: 'callLogUrlPending', match: { instanceId: ICE.seedInstanceId } });

		const result = await runArchive(ctx.emu, getCallLog(ICE.seedInstanceId, { waitForCallLog: false }));

		expect(errorText(result.error)).toContain(`Instance ${ICE.seedInstanceId} has no call log (status "Finished", empty CallLogUrl)`);
		expect(callsOf(ctx.emu, 'DescribeAIAgentInstance')).toHaveLength(1);
	});

	it.each([
		['an expired link (403): a fresh link is what helps', ICE.expiredLogInstanceId, 'HTTP 403'],
		['a malformed log', ICE.malformedLogInstanceId, 'InvalidJson'],
	])('does not wait on %s', async (_label, instanceId, expected) => {
		const { result, seconds } = await timedRun(ctx.emu, getCallLog(instanceId));

		expect(errorText(result.error)).toContain(expected);
		expect(callLogDownloads(ctx.emu)).toHaveLength(1);
		expect(seconds).toBeLessThan(FIRST_PAUSES_S[0]);
	});

	it('does not wait for a call that is still running: its end is not seconds away', async () => {
		const { result, seconds } = await timedRun(ctx.emu, getCallLog(ICE.executingInstanceId));

		expect(errorText(result.error)).toContain(`Instance ${ICE.executingInstanceId} is still running`);
		expect(callsOf(ctx.emu, 'DescribeAIAgentInstance')).toHaveLength(1);
		expect(seconds).toBeLessThan(FIRST_PAUSES_S[0]);
	});

	it('waits for each late item on its own: the other items go on meanwhile, in order and paired', async () => {
		ctx.emu.addFault({ kind: 'callLogNotFound', match: { pathIncludes: ICE.seedInstanceId }, times: 1 });

		const { result } = await timedRun(
			ctx.emu,
			{ operation: 'getCallLog', instanceId: '={{ $json.id }}', options: { concurrency: 2 } },
			{ input: [{ id: ICE.seedInstanceId }, { id: ICE.finishedInstanceIds[1] }] },
		);

		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.instanceId)).toEqual([ICE.seedInstanceId, ICE.finishedInstanceIds[1]]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		const order = callLogDownloads(ctx.emu).map((r) => `${r.path.includes(ICE.seedInstanceId) ? 'late' : 'other'} ${r.status}`);
		expect(order.slice(0, 2).sort()).toEqual(['late 404', 'other 200']);
		expect(order[2]).toBe('late 200');
	});
});
