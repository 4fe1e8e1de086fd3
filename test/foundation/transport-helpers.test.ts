import fc from 'fast-check';

import { backoffDelay, collectPages, RateLimiter, type RetryPolicy } from '../../nodes/shared/transport';

describe('RateLimiter', () => {
	it('spaces concurrent acquisitions at least 1000/rps ms apart', async () => {
		const limiter = new RateLimiter(50);
		const times: number[] = [];
		await Promise.all(
			Array.from({ length: 10 }, async () => {
				await limiter.acquire();
				times.push(Date.now());
			}),
		);
		const sorted = [...times].sort((a, b) => a - b);
		const gaps = sorted.slice(1).map((t, i) => t - sorted[i]);
		// 20 ms per slot; timers may fire a millisecond early, so allow 2 ms of slack.
		for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(18);
		expect(sorted[9] - sorted[0]).toBeGreaterThanOrEqual(9 * 20 - 2);
	});

	it('spaces sequential acquisitions too, and does not wait at all when rps is 0 (off)', async () => {
		const limiter = new RateLimiter(50);
		const times: number[] = [];
		for (let i = 0; i < 5; i++) {
			await limiter.acquire();
			times.push(Date.now());
		}
		// Turns are planned 20 ms apart from the first; a turn delayed by a busy machine may shorten the next gap,
		// never the distance from the first.
		for (let i = 1; i < times.length; i++) expect(times[i] - times[0]).toBeGreaterThanOrEqual(i * 20 - 2);

		// Any limit at all would space 100 turns over seconds (≥ 1,980 ms at 50 rps); off, they take next to nothing.
		const off = new RateLimiter(0);
		const start = Date.now();
		for (let i = 0; i < 100; i++) await off.acquire();
		expect(Date.now() - start).toBeLessThan(500);
	});
});

describe('backoffDelay', () => {
	const policy = fc.record<RetryPolicy>({
		maxRetries: fc.integer({ min: 0, max: 10 }),
		baseDelayMs: fc.integer({ min: 1, max: 5000 }),
		maxDelayMs: fc.integer({ min: 1, max: 60000 }),
	});

	it('stays within [ceiling/2, ceiling] where ceiling = min(max, base·2^attempt)', () => {
		fc.assert(
			fc.property(policy, fc.integer({ min: 0, max: 60 }), fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (p, attempt, r) => {
				const ceiling = Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** attempt);
				const delay = backoffDelay(attempt, p, () => r);
				expect(Number.isInteger(delay)).toBe(true);
				expect(delay).toBeGreaterThanOrEqual(Math.floor(ceiling / 2));
				expect(delay).toBeLessThanOrEqual(ceiling);
				expect(delay).toBeLessThanOrEqual(p.maxDelayMs);
			}),
			{ numRuns: 1000 },
		);
	});

	it('grows exponentially until the cap and is jittered', () => {
		const p: RetryPolicy = { maxRetries: 8, baseDelayMs: 100, maxDelayMs: 1000 };
		expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, p, () => 0))).toEqual([50, 100, 200, 400, 500, 500]);
		expect([0, 1, 2, 3, 4, 10].map((a) => backoffDelay(a, p, () => 0.999999))).toEqual([100, 200, 400, 800, 1000, 1000]);
		const samples = new Set(Array.from({ length: 50 }, () => backoffDelay(3, p)));
		expect(samples.size).toBeGreaterThan(5);
	});
});

describe('collectPages', () => {
	it('returns the first min(total, limit) items, stops on a short page and never varies the page size', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.integer({ min: 0, max: 250 }),
				fc.integer({ min: 1, max: 60 }),
				fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
				async (total, pageSize, limit) => {
					const all = Array.from({ length: total }, (_, i) => i);
					const calls: Array<[number, number]> = [];
					const result = await collectPages(
						async (page, size) => {
							calls.push([page, size]);
							return all.slice((page - 1) * size, page * size);
						},
						{ pageSize, limit },
					);
					expect(result).toEqual(all.slice(0, limit ?? total));
					const size = calls[0][1];
					expect(calls.every(([, s]) => s === size)).toBe(true);
					expect(size).toBe(Math.min(pageSize, limit ?? pageSize));
					expect(calls.map(([page]) => page)).toEqual(calls.map((_, i) => i + 1));
					// Exactly the pages needed: up to and including the first short page, or until the limit is reached.
					const wanted = Math.min(total, limit ?? Infinity);
					const needed = limit !== undefined && limit <= total ? Math.ceil(limit / size) : Math.floor(total / size) + 1;
					expect(calls).toHaveLength(needed);
					expect(result).toHaveLength(wanted);
				},
			),
			{ numRuns: 300 },
		);
	});

	it('honours maxPages', async () => {
		const fetched: number[] = [];
		const result = await collectPages(
			async (page, size) => {
				fetched.push(page);
				return Array.from({ length: size }, (_, i) => `${page}-${i}`);
			},
			{ pageSize: 2, maxPages: 3 },
		);
		expect(fetched).toEqual([1, 2, 3]);
		expect(result).toEqual(['1-0', '1-1', '2-0', '2-1', '3-0', '3-1']);
	});
});
