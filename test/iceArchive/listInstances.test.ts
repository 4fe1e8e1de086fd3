import type { IDataObject } from 'n8n-workflow';

import { generatedInstanceId } from '../emulator/services/ice-data';
import { callLogDownloads, callsOf, errorText, expectNoSecrets, ICE, runArchive, useEmulator } from './setup';

const list = (parameters: IDataObject = {}) => ({ operation: 'listInstances', aiAgentId: ICE.agentId, ...parameters });

/** Instances of the default agent, newest first, as the API pages through them. */
const DEFAULT_AGENT_IDS = Array.from({ length: ICE.defaultInstancesPerAgent }, (_, i) =>
	generatedInstanceId(ICE.agentId, i),
).reverse();

describe('ICE Archive: List Instances', () => {
	const ctx = useEmulator();

	it('pages until a short page: 23 instances over pages of 10 take 3 calls', async () => {
		const result = await runArchive(ctx.emu, list({ returnAll: true, options: { pageSize: 10 } }));

		expect(result.items).toHaveLength(23);
		const calls = callsOf(ctx.emu, 'ListAIAgentInstance');
		expect(calls.map((c) => [c.query.PageNumber, c.query.PageSize])).toEqual([
			['1', '10'],
			['2', '10'],
			['3', '10'],
		]);
		expect(calls.every((c) => c.query.AIAgentId === ICE.agentId)).toBe(true);
		expect(result.items.map((item) => item.json.instanceId)).toEqual(DEFAULT_AGENT_IDS);
		expect(result.items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
	});

	it('asks for just the limit: limit 5 is one call with PageSize 5', async () => {
		const result = await runArchive(ctx.emu, list({ limit: 5 }));

		expect(result.items).toHaveLength(5);
		expect(callsOf(ctx.emu, 'ListAIAgentInstance').map((c) => [c.query.PageNumber, c.query.PageSize])).toEqual([['1', '5']]);
		expect(result.items.map((item) => item.json.instanceId)).toEqual(DEFAULT_AGENT_IDS.slice(0, 5));
	});

	it('derives instanceId from the CallLogUrl path and outputs safe instance fields', async () => {
		const result = await runArchive(ctx.emu, list({ limit: 2 }));

		for (const { json } of result.items) {
			expect(json.instanceIdSource).toBe('callLogUrl');
			expect(json.CallLogUrl).toBe(`${ctx.emu.url}/calllogs/${String(json.instanceId)}.json?…`);
			expect((json.RuntimeConfig as IDataObject).AuthToken).toBe('***');
			expect(json.UserData).toEqual(expect.objectContaining({ ticket: expect.stringMatching(/^T1000\d\d$/) }));
			expect(json.conversation).toBeUndefined();
		}
		expect(callLogDownloads(ctx.emu)).toHaveLength(0);
		expectNoSecrets(result.run);
	});

	it('sends the time range as ISO 8601 UTC, converting offsets and rounding the end up', async () => {
		const result = await runArchive(
			ctx.emu,
			list({ returnAll: true, startTime: '2025-08-14T13:00:00+08:00', endTime: '2025-08-14T09:30:00.500Z' }),
		);

		const [call] = callsOf(ctx.emu, 'ListAIAgentInstance');
		expect(call.query.StartTime).toBe('2025-08-14T05:00:00Z');
		expect(call.query.EndTime).toBe('2025-08-14T09:30:01Z');
		// One instance an hour from 00:00: 05:00 to 09:00 inclusive.
		expect(result.items.map((item) => item.json.instanceId)).toEqual([9, 8, 7, 6, 5].map((i) => generatedInstanceId(ICE.agentId, i)));
	});

	it('sends no time range when the fields are empty', async () => {
		await runArchive(ctx.emu, list({ limit: 1 }));

		const [call] = callsOf(ctx.emu, 'ListAIAgentInstance');
		expect(call.query).not.toHaveProperty('StartTime');
		expect(call.query).not.toHaveProperty('EndTime');
	});

	it('rejects a start time after the end time before calling the API', async () => {
		const result = await runArchive(
			ctx.emu,
			list({ startTime: '2025-08-15T00:00:00Z', endTime: '2025-08-14T00:00:00Z' }),
		);

		expect(result.error?.message).toBe('Start Time is after End Time');
		expect(ctx.emu.requests).toHaveLength(0);
	});

	it('outputs nothing for an agent without calls', async () => {
		const result = await runArchive(ctx.emu, list({ aiAgentId: ICE.emptyAgentId, returnAll: true }));

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(0);
	});

	it('keeps call-log downloads within Concurrency across input items that list at the same time', async () => {
		ctx.emu.addFault({ kind: 'latency', latencyMs: 40, match: { pathIncludes: '/calllogs/' }, times: Infinity });
		let maxInFlight = 0;
		const poll = setInterval(() => {
			const inFlight = callLogDownloads(ctx.emu).filter((request) => request.status === 0).length;
			maxInFlight = Math.max(maxInFlight, inFlight);
		}, 2);

		// Two items, each listing with 3 workers: 6 want a download slot, the node's 3 are shared.
		const result = await runArchive(ctx.emu, list({ returnAll: true, options: { includeCallLog: true, concurrency: 3 } }), {
			input: [{}, {}],
		}).finally(() => clearInterval(poll));

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(46);
		expect(callLogDownloads(ctx.emu)).toHaveLength(46);
		expect(maxInFlight).toBeLessThanOrEqual(3);
		expect(maxInFlight).toBeGreaterThanOrEqual(2);
	});

	it('includes each call log with at most Concurrency downloads in flight', async () => {
		ctx.emu.addFault({ kind: 'latency', latencyMs: 60, match: { pathIncludes: '/calllogs/' }, times: Infinity });
		let maxInFlight = 0;
		const poll = setInterval(() => {
			const inFlight = callLogDownloads(ctx.emu).filter((request) => request.status === 0).length;
			maxInFlight = Math.max(maxInFlight, inFlight);
		}, 2);

		const result = await runArchive(ctx.emu, list({ returnAll: true, options: { includeCallLog: true, concurrency: 3 } })).finally(
			() => clearInterval(poll),
		);

		expect(result.error).toBeUndefined();
		expect(callLogDownloads(ctx.emu)).toHaveLength(23);
		expect(maxInFlight).toBeLessThanOrEqual(3);
		expect(maxInFlight).toBeGreaterThanOrEqual(2);
		result.items.forEach(({ json }, index) => {
			const id = DEFAULT_AGENT_IDS[index];
			expect(json.instanceId).toBe(id);
			expect(json.instanceIdSource).toBe('callLog');
			const conversation = json.conversation as { source: string; sessionId?: string; instanceId: string; sentences: Array<{ begin: number }> };
			expect(conversation.source).toBe('ice');
			// List items carry no SessionId, and the instance id is not one: sessionId stays absent.
			expect(conversation).not.toHaveProperty('sessionId');
			expect(conversation.instanceId).toBe(id);
			// The emulator writes 4 + (index % 5) sentences for the index-th instance created.
			expect(conversation.sentences).toHaveLength(4 + ((ICE.defaultInstancesPerAgent - 1 - index) % 5));
			const begins = conversation.sentences.map((s) => s.begin);
			expect(begins).toEqual([...begins].sort((a, b) => a - b));
		});
	});

	it('adds the small call-level fields beside the conversation, and the raw log only with Include Raw Call Log', async () => {
		const lean = await runArchive(ctx.emu, list({ limit: 3, options: { includeCallLog: true } }));
		const raw = await runArchive(
			ctx.emu,
			list({ limit: 3, options: { includeCallLog: true, includeRawCallLog: true } }),
		);

		const finished = (items: typeof lean.items) => items.map(({ json }) => json).filter((json) => json.conversation);
		expect(finished(lean.items)).toHaveLength(3);
		expect(finished(raw.items)).toHaveLength(3);
		for (const json of finished(lean.items)) {
			expect(json).not.toHaveProperty('callLog');
			expect(json.agentUserId).toMatch(/^AGENT_USER/);
			expect(json.startedAt).toBe((json.conversation as { startedAt: string }).startedAt);
			expect(json.status).toBe('Finished');
			// The listing's own fields stay.
			expect(json.UserData).toBeDefined();
		}
		for (const json of finished(raw.items)) {
			const callLog = json.callLog as { instanceid: string; dialog: Array<{ text: string }> };
			expect(callLog.instanceid).toBe(json.instanceId);
			expect(callLog.dialog.map((d) => d.text)).toEqual(
				(json.conversation as { sentences: Array<{ text: string }> }).sentences.map((s) => s.text),
			);
		}
	});

	it('under continue-on-fail marks the calls whose log failed and keeps the rest of the listing', async () => {
		const result = await runArchive(
			ctx.emu,
			list({ aiAgentId: ICE.mixedAgentId, returnAll: true, options: { includeCallLog: true } }),
			{ continueOnFail: true },
		);

		expect(result.run.status).toBe('success');
		const byId = new Map(result.items.map((item) => [item.json.instanceId, item.json]));
		expect(result.items).toHaveLength(7);
		expect((byId.get(ICE.seedInstanceId)?.conversation as { sentences: unknown[] }).sentences).toHaveLength(
			ICE.seedSentenceCount,
		);
		expect(byId.get(ICE.finishedInstanceIds[1])?.callLogError).toBeUndefined();
		// A running call has no CallLogUrl, so nothing names it: no id, no download, no error.
		expect(byId.get(null)).toMatchObject({ Status: 'Executing', conversation: null });
		expect(byId.get(null)).not.toHaveProperty('callLogError');
		expect(byId.get(ICE.expiredLogInstanceId)).toMatchObject({
			conversation: null,
			callLogError: expect.stringContaining(`the call log of instance ${ICE.expiredLogInstanceId} is not available (HTTP 403 AccessDenied: Request has expired.)`),
		});
		expect(byId.get(ICE.missingLogInstanceId)?.callLogError).toContain('HTTP 404');
		expect(byId.get(ICE.malformedLogInstanceId)?.callLogError).toContain('InvalidJson');
		expect(callLogDownloads(ctx.emu)).toHaveLength(6);
		expectNoSecrets(result.run);
	});

	it('fails naming the instance whose log failed without continue-on-fail', async () => {
		const result = await runArchive(
			ctx.emu,
			list({ aiAgentId: ICE.mixedAgentId, returnAll: true, options: { includeCallLog: true } }),
		);

		expect(result.run.status).toBe('error');
		expect(errorText(result.error)).toMatch(/the call log of instance emu-log-(missing|expired|malformed)/);
	});

	it('retries a throttled page and continues paging', async () => {
		ctx.emu.addFault({ kind: 'throttle', status: 429, match: { action: 'ListAIAgentInstance' } });

		const result = await runArchive(ctx.emu, list({ returnAll: true, options: { pageSize: 20 } }));

		expect(result.items).toHaveLength(23);
		expect(callsOf(ctx.emu, 'ListAIAgentInstance').map((c) => [c.status, c.query.PageNumber])).toEqual([
			[429, '1'],
			[200, '1'],
			[200, '2'],
		]);
	});
});
