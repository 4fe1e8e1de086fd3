import fc from 'fast-check';

import { refreshAtFor, REFRESH_WINDOW_MS, type TemporarySession } from '../../credentials/common/ramRole/session';
import { SessionCache } from '../../credentials/common/ramRole/sessionCache';

/**
 * "One renewal per refresh window, shared by everyone who needs it" over random schedules of
 * requests arriving, time passing, renewals succeeding or failing, and services refusing keys.
 * The model says, for every arrival, whether it must start a renewal, join the one in flight, or
 * get the current key; the cache must agree on every arrival, and never renew twice at once.
 */

type Step =
	| { kind: 'arrive' }
	| { kind: 'advance'; ms: number }
	| { kind: 'succeed' }
	| { kind: 'fail' }
	| { kind: 'refuse' };

const LIFETIME_MS = 3600_000;

const step: fc.Arbitrary<Step> = fc.oneof(
	{ weight: 6, arbitrary: fc.constant<Step>({ kind: 'arrive' }) },
	{ weight: 2, arbitrary: fc.integer({ min: 1, max: 40 * 60_000 }).map((ms): Step => ({ kind: 'advance', ms })) },
	{ weight: 2, arbitrary: fc.constant<Step>({ kind: 'succeed' }) },
	{ weight: 1, arbitrary: fc.constant<Step>({ kind: 'fail' }) },
	{ weight: 1, arbitrary: fc.constant<Step>({ kind: 'refuse' }) },
);

describe('SessionCache single-flight (fast-check)', () => {
	it('renews exactly when the model says, at most one renewal in flight, every caller gets the shared answer', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 60 }), async (steps) => {
				let now = 1_000_000;
				const cache = new SessionCache(() => now);
				let serial = 0;
				let inFlight = 0;
				let maxInFlight = 0;
				let fetches = 0;
				let pending: { resolve: (s: TemporarySession) => void; reject: (e: Error) => void } | undefined;
				const fetch = () => {
					fetches++;
					inFlight++;
					maxInFlight = Math.max(maxInFlight, inFlight);
					return new Promise<TemporarySession>((resolve, reject) => {
						pending = {
							resolve: (s) => {
								inFlight--;
								resolve(s);
							},
							reject: (e) => {
								inFlight--;
								reject(e);
							},
						};
					});
				};
				const issue = (): TemporarySession => {
					serial++;
					const expiresAt = now + LIFETIME_MS;
					return {
						accessKeyId: `STS.${serial}`,
						accessKeySecret: 's',
						securityToken: 't',
						expiration: new Date(expiresAt).toISOString(),
						refreshAt: refreshAtFor(expiresAt, now),
						fingerprint: 'fp',
						identity: 'role',
					};
				};

				// Model state.
				let current: TemporarySession | undefined;
				const refused = new Set<string>();
				let modelPending = false;
				let expectedFetches = 0;
				let joiners: Array<Promise<TemporarySession | Error>> = [];
				const settled: Array<{ got: Promise<TemporarySession | Error>; expect: () => TemporarySession | 'error' }> = [];
				let outcome: TemporarySession | 'error' | undefined;

				const usable = (s: TemporarySession | undefined) => !!s && now < s.refreshAt && !refused.has(s.accessKeyId);

				for (const s of steps) {
					if (s.kind === 'arrive') {
						const got = cache.obtain('fp', undefined, fetch).catch((e: Error) => e);
						if (modelPending) {
							joiners.push(got);
						} else if (usable(current)) {
							const expected = current!;
							settled.push({ got, expect: () => expected });
						} else {
							modelPending = true;
							expectedFetches++;
							outcome = undefined;
							joiners = [got];
						}
						await Promise.resolve();
					} else if (s.kind === 'advance') {
						now += s.ms;
					} else if (s.kind === 'refuse') {
						if (current) {
							refused.add(current.accessKeyId);
							cache.reject('fp', current.accessKeyId);
						}
					} else if (modelPending && pending) {
						const group = joiners;
						const p = pending;
						pending = undefined;
						modelPending = false;
						if (s.kind === 'succeed') {
							current = issue();
							outcome = current;
							p.resolve(current);
						} else {
							outcome = 'error';
							p.reject(new Error('STS said no'));
						}
						const result = outcome;
						for (const got of group) settled.push({ got, expect: () => result });
						joiners = [];
						// Let the cache see the answer before the next arrival, as the event loop would.
						await new Promise((resolve) => setImmediate(resolve));
					}
				}
				if (pending) {
					current = issue();
					const result = current;
					pending.resolve(current);
					for (const got of joiners) settled.push({ got, expect: () => result });
				}
				for (const { got, expect: expected } of settled) {
					const value = await got;
					const want = expected();
					if (want === 'error') expect(value).toBeInstanceOf(Error);
					else expect((value as TemporarySession).accessKeyId).toBe(want.accessKeyId);
				}
				expect(fetches).toBe(expectedFetches);
				expect(maxInFlight).toBeLessThanOrEqual(1);
			}),
			{ numRuns: 300 },
		);
	});
});

describe('refresh window (fast-check)', () => {
	it('renews 15 minutes before expiry, or after half the lifetime for keys shorter than 30 minutes', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 2 ** 41 }), fc.integer({ min: 1, max: 43200 * 1000 }), (receivedAt, lifetime) => {
				const expiresAt = receivedAt + lifetime;
				const refreshAt = refreshAtFor(expiresAt, receivedAt);
				expect(refreshAt).toBeGreaterThanOrEqual(receivedAt);
				expect(refreshAt).toBeLessThan(expiresAt);
				expect(expiresAt - refreshAt).toBeCloseTo(Math.min(REFRESH_WINDOW_MS, lifetime / 2), 6);
			}),
		);
	});

	it('the STS durations users pick: 900 s → renewed after 7.5 min, 3600 s → after 45 min, 43200 s → 15 min before expiry', () => {
		const at = Date.UTC(2026, 0, 1);
		expect(refreshAtFor(at + 900_000, at) - at).toBe(450_000);
		expect(refreshAtFor(at + 3600_000, at) - at).toBe(2700_000);
		expect(at + 43200_000 - refreshAtFor(at + 43200_000, at)).toBe(REFRESH_WINDOW_MS);
	});
});
