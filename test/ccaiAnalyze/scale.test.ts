import type { IDataObject } from 'n8n-workflow';

import { analyze, analyzeRequests, jsonOf, pairedIndexes, useEmulator } from './setup';

function items(count: number): IDataObject[] {
	return Array.from({ length: count }, (_, index) => ({
		conversation: { sessionId: `s-${index}`, sentences: [{ role: 'user', text: `第${index}个客户的问题` }] },
	}));
}

describe('CCAI Analyze: throttling, rate limit and concurrency', () => {
	const context = useEmulator();

	it('retries CCAI.Throttling.Qps like the transport does, then succeeds', async () => {
		context.emulator.addFault({ kind: 'ccaiThrottle', times: 2 });
		const result = await analyze(context, {}, items(1));
		expect(result.error('Node')).toBeUndefined();
		expect(context.emulator.countCalls('AnalyzeConversation')).toBe(3);
		expect(analyzeRequests(context.emulator).map((request) => request.status)).toEqual([400, 400, 200]);
		expect(jsonOf(result.items)[0].finishReason).toBe('stop');
	});

	it('gives up on endless throttling with a hint to lower the rate', async () => {
		context.emulator.addFault({ kind: 'ccaiThrottle', times: Infinity });
		const result = await analyze(context, {}, items(1));
		const error = result.error('Node');
		expect(error?.message).toContain('CCAI.Throttling.Qps');
		expect(error?.message).toContain('after 5 attempts');
		expect(error?.description).toContain('requests per second');
	}, 30000);

	it('stays under the account QPS with Requests per Second, so nothing is throttled', async () => {
		context.emulator.setCcaiQpsLimit(2);
		const result = await analyze(context, { options: { requestsPerSecond: 2, concurrency: 6 } }, items(6));
		expect(result.error('Node')).toBeUndefined();
		const requests = analyzeRequests(context.emulator);
		expect(requests).toHaveLength(6);
		expect(requests.filter((request) => request.status === 400)).toHaveLength(0);
		expect(jsonOf(result.items).map((item) => item.sessionId)).toEqual(['s-0', 's-1', 's-2', 's-3', 's-4', 's-5']);
	});

	it('without the limit the same batch does get throttled (the limit above is what helps)', async () => {
		context.emulator.setCcaiQpsLimit(2);
		// Whether every retry then lands depends on timing; only the throttling is the point here.
		await analyze(context, { options: { concurrency: 6 } }, items(6), { continueOnFail: true });
		expect(analyzeRequests(context.emulator).filter((request) => request.status === 400).length).toBeGreaterThan(0);
	}, 30000);

	it('keeps at most Concurrency analyses in flight', async () => {
		context.emulator.addFault({ kind: 'latency', latencyMs: 60, match: { action: 'AnalyzeConversation' }, times: Infinity });
		let maxInFlight = 0;
		const poll = setInterval(() => {
			const inFlight = analyzeRequests(context.emulator).filter((request) => request.status === 0).length;
			maxInFlight = Math.max(maxInFlight, inFlight);
		}, 2);
		const result = await analyze(context, { options: { concurrency: 2 } }, items(8)).finally(() => clearInterval(poll));
		expect(result.error('Node')).toBeUndefined();
		expect(analyzeRequests(context.emulator)).toHaveLength(8);
		expect(maxInFlight).toBeLessThanOrEqual(2);
		expect(maxInFlight).toBe(2);
	});

	it('keeps input order when later items answer first', async () => {
		// Latency faults are taken by requests in arrival order: the first items are the slowest.
		for (const latencyMs of [250, 180, 120, 60, 0, 0]) context.emulator.addFault({ kind: 'latency', latencyMs });
		const result = await analyze(context, { options: { concurrency: 6 } }, items(6));
		expect(result.error('Node')).toBeUndefined();
		expect(analyzeRequests(context.emulator)).toHaveLength(6);
		expect(jsonOf(result.items).map((item) => item.sessionId)).toEqual(['s-0', 's-1', 's-2', 's-3', 's-4', 's-5']);
		expect(pairedIndexes(result.items)).toEqual([0, 1, 2, 3, 4, 5]);
	});
});
