import fc from 'fast-check';

import { collectRangePages, type TimeRange } from '../../nodes/shared/transport/rangePaging';

/**
 * "Nothing cut, nothing twice, whatever the API's inclusivity": random calls (at most one per
 * second, on whole seconds like ICE's time filter) listed by a fake ListAIAgentInstance that
 * treats StartTime and EndTime as inclusive or exclusive, with a page cap small enough that the
 * range has to be split, often right on a call.
 */
const SECOND = 1000;
const PAGE_SIZE = 2;
const MAX_PAGES = 2;

interface Call {
	id: string;
	at: number;
}

const world = fc.record({
	seconds: fc.uniqueArray(fc.integer({ min: 1, max: 39 }), { maxLength: 39 }),
	startInclusive: fc.boolean(),
	endInclusive: fc.boolean(),
	openStart: fc.boolean(),
	openEnd: fc.boolean(),
	order: fc.constantFrom('oldestFirst' as const, 'newestFirst' as const),
});

describe('collectRangePages (fast-check)', () => {
	it('lists every call in the range exactly once, inside the sub-range it reports, however the API treats its bounds', async () => {
		await fc.assert(
			fc.asyncProperty(world, async (w) => {
				const calls: Call[] = w.seconds.map((s) => ({ id: `call-${s}`, at: s * SECOND }));
				const inRange = (call: Call, range: TimeRange) =>
					(range.startMs === undefined || (w.startInclusive ? call.at >= range.startMs : call.at > range.startMs)) &&
					(range.endMs === undefined || (w.endInclusive ? call.at <= range.endMs : call.at < range.endMs));
				const fetchPage = async (range: TimeRange, page: number, size: number) =>
					calls
						.filter((call) => inRange(call, range))
						.sort((a, b) => b.at - a.at)
						.slice((page - 1) * size, page * size);

				const result = await collectRangePages<Call>(
					fetchPage,
					{ startMs: w.openStart ? undefined : 0, endMs: w.openEnd ? undefined : 40 * SECOND },
					{
						pageSize: PAGE_SIZE,
						maxPages: MAX_PAGES,
						resolutionMs: SECOND,
						keyOf: (call) => call.id,
						order: w.order,
						openStartMs: 0,
						openEndMs: 40 * SECOND,
						fail: (reason) => {
							throw new Error(`unexpected failure ${JSON.stringify(reason)}`);
						},
					},
				);

				expect(result.map((r) => r.item.id).sort()).toEqual(calls.map((c) => c.id).sort());
				for (const { item, range } of result) {
					expect(item.at).toBeGreaterThanOrEqual(range.startMs ?? 0);
					expect(item.at).toBeLessThanOrEqual(range.endMs ?? 40 * SECOND);
				}
			}),
			{ numRuns: 400 },
		);
	});
});
