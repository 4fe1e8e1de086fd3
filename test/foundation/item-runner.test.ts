import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { EMULATOR_KEYS, type Emulator, FIXTURES, startEmulator } from '../emulator';
import { emulatorCredentials } from '../helpers/credentials';
import { runNode } from '../helpers/engine';
import { STAGGER_MS, STAGGER_TOTAL_MS } from '../../nodes/shared/transport/concurrency';
import { PROBE_NODE_TYPE, probeStats, type ProbeItem } from './probe/alibabaProbe';

/** runItems inside n8n's engine: order, pairing, the concurrency bound and both failure modes. */

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ port: 0 });
});
afterAll(async () => emu.close());
beforeEach(() => {
	emu.reset();
	probeStats.reset();
});

async function probe(items: ProbeItem[], concurrency: number, continueOnFail = false) {
	return await runNode(
		PROBE_NODE_TYPE,
		{ concurrency, retry: JSON.stringify({ maxRetries: 0 }) },
		{ input: items as unknown as IDataObject[], credentials: emulatorCredentials(emu.url, EMULATOR_KEYS), continueOnFail },
	);
}

const describeInstance = (instanceId: string, delayMs = 0): ProbeItem => ({
	op: 'rpc',
	call: { service: 'ice', action: 'DescribeAIAgentInstance', version: FIXTURES.ice.version, params: { InstanceId: instanceId } },
	delayMs,
	tag: instanceId,
});

describe('runItems', () => {
	it('keeps input order and pairs every output with its input, whatever finishes first', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 14 }),
				fc.integer({ min: 1, max: 7 }),
				async (delays, concurrency) => {
					probeStats.reset();
					const items: ProbeItem[] = delays.map((delayMs, i) => ({ op: 'wait', delayMs, tag: `item-${i}` }));
					const run = await probe(items, concurrency);
					expect(run.error('Node')).toBeUndefined();
					expect(run.items.map((item) => item.json.tag)).toEqual(delays.map((_, i) => `item-${i}`));
					expect(run.items.map((item) => item.pairedItem)).toEqual(delays.map((_, item) => ({ item })));
					// Never more in flight than allowed (that it is used is checked with calls longer than the workers' stagger).
					expect(probeStats.maxInFlight).toBeLessThanOrEqual(Math.min(concurrency, delays.length));
					expect([...probeStats.started].sort((a, b) => a - b)).toEqual(delays.map((_, i) => i));
				},
			),
			{ numRuns: 25 },
		);
	});

	it('returns each API answer at its own item when calls overlap with random latencies', async () => {
		const ids = [...FIXTURES.ice.finishedInstanceIds, ...FIXTURES.ice.finishedInstanceIds, ...FIXTURES.ice.finishedInstanceIds];
		const delays = [9, 0, 4, 1, 7, 2, 0, 5, 3];
		const run = await probe(ids.map((id, i) => describeInstance(id, delays[i])), 4);
		expect(run.error('Node')).toBeUndefined();
		// The instance id is not in the answer (as on the real API) but in its call log's path.
		run.items.forEach((item, i) => {
			const instance = (item.json.result as IDataObject).Instance as IDataObject;
			expect(new URL(instance.CallLogUrl as string).pathname).toBe(`/calllogs/${ids[i]}.json`);
		});
		expect(run.items.map((item) => item.json.tag)).toEqual(ids);
		expect(emu.requests.map((r) => r.query.InstanceId).sort()).toEqual([...ids].sort());
		expect(probeStats.maxInFlight).toBe(4);
	});

	it('with continue-on-fail, turns each failed item into an error item in its place', async () => {
		const items: ProbeItem[] = [
			{ op: 'wait', delayMs: 3, tag: 'a' },
			{ op: 'throw', message: 'item b is broken', tag: 'b' },
			describeInstance(FIXTURES.ice.seedInstanceId, 1),
			describeInstance(FIXTURES.ice.unknownInstanceId),
			{ op: 'wait', tag: 'e' },
		];
		const run = await probe(items, 3, true);
		expect(run.error('Node')).toBeUndefined();
		expect(run.items).toHaveLength(5);
		expect(run.items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
		expect(run.items[0].json).toEqual({ tag: 'a' });
		expect(run.items[1].json).toEqual({ error: 'item b is broken' });
		expect(run.items[2].json.tag).toBe(FIXTURES.ice.seedInstanceId);
		expect(run.items[3].json.error).toMatch(/^Alibaba Cloud ICE DescribeAIAgentInstance failed: Forbidden\.ResourceNotFound: /);
		expect(run.items[3].json.errorDescription).toMatch(/Alibaba Cloud RequestId: [0-9A-F-]{36}/);
		expect(run.items[4].json).toEqual({ tag: 'e' });
	});

	it('without continue-on-fail, reports the lowest failing item index even when a later item fails first', async () => {
		const items: ProbeItem[] = [
			{ op: 'wait', tag: 0 },
			{ op: 'wait', delayMs: 2, tag: 1 },
			{ op: 'throw', message: 'item 2 failed', delayMs: 15, tag: 2 },
			{ op: 'wait', tag: 3 },
			{ op: 'throw', message: 'item 4 failed', tag: 4 },
		];
		const run = await probe(items, 5);
		const error = run.error('Node')!;
		expect(error.message).toBe('item 2 failed');
		expect(error.context?.itemIndex).toBe(2);
	});

	it('stops starting new items after a failure and reports an API error with its item index', async () => {
		const items: ProbeItem[] = [
			describeInstance(FIXTURES.ice.seedInstanceId),
			describeInstance(FIXTURES.ice.unknownInstanceId),
			describeInstance(FIXTURES.ice.seedInstanceId),
			describeInstance(FIXTURES.ice.seedInstanceId),
		];
		const run = await probe(items, 1);
		const error = run.error('Node')!;
		expect(error.name).toBe('NodeApiError');
		expect(error.message).toMatch(/Forbidden\.ResourceNotFound/);
		expect(error.context?.itemIndex).toBe(1);
		expect(probeStats.started).toEqual([0, 1]);
		expect(emu.requests).toHaveLength(2);
	});

	it('starts its workers a few ms apart, at most 50 ms in all, so their answers do not arrive together', async () => {
		// Calls much longer than the whole stagger: every worker has started before the first call
		// ends, even when a GC pause or a busy CI runner holds a timer back.
		const started = async (count: number, concurrency: number) => {
			probeStats.reset();
			const run = await probe(Array.from({ length: count }, () => ({ op: 'wait', delayMs: STAGGER_TOTAL_MS * 6 }) as ProbeItem), concurrency);
			expect(run.items).toHaveLength(count);
			// The allowance is used, never exceeded.
			expect(probeStats.maxInFlight).toBe(Math.min(concurrency, count));
			// Each worker's start, in ms after the first worker's.
			return probeStats.startedAt.slice(0, concurrency).map((at, _, all) => at - all[0]);
		};
		// Every worker waits rank × stagger from one common start. Timers fire late under load,
		// never early, so each start has a floor. Gaps between neighbours have none: when one
		// timer fires late and the next on time, their gap shrinks (CI saw 2.2 ms for 5). libuv
		// counts whole ms, hence the 2 ms slack.
		const four = await started(4, 4);
		four.forEach((offset, rank) => expect(offset).toBeGreaterThanOrEqual(rank * STAGGER_MS - 2));
		const many = await started(60, 60);
		const ramp = many[many.length - 1];
		expect(ramp).toBeGreaterThanOrEqual(STAGGER_TOTAL_MS - 2);
		expect(ramp).toBeLessThan(STAGGER_TOTAL_MS * 4);
		// One worker has nobody to be apart from: no wait.
		const one = await started(2, 1);
		expect(one).toEqual([0]);
	});

	it('treats a concurrency below 1 (or not a number) as 1', async () => {
		for (const concurrency of [0, -3, Number.NaN]) {
			probeStats.reset();
			const run = await probe([{ op: 'wait', delayMs: 2 }, { op: 'wait', delayMs: 1 }, { op: 'wait' }], concurrency);
			expect(run.items).toHaveLength(3);
			expect(probeStats.maxInFlight).toBe(1);
		}
	});
});
