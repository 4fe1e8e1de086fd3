import fc from 'fast-check';
import { type INode, NodeApiError } from 'n8n-workflow';

import type { DialogAnalysisEntry } from '../../nodes/AlibabaDialogDetail/helpers/dianjinApi';
import { isTooManySessions, type RangeAnswer, readRangeInFull } from '../../nodes/AlibabaDialogDetail/helpers/rangeSplit';

/**
 * A model of GetDialogAnalysisResult by time range, in every shape the documentation allows:
 * the range's end inclusive or exclusive, and more than `cap` sessions either cut silently
 * (the first `cap` in the asked order) or refused. Times are whole seconds from 0.
 */
interface World {
	times: number[];
	cap: number;
	endExclusive: boolean;
	overCap: 'silent' | 'error';
	asc: boolean;
	start: number;
	end: number;
}

const S = 1000;

function sessionsOf(world: World) {
	return world.times
		.map((t, i) => ({ sessionId: `s${String(i).padStart(4, '0')}`, t }))
		.sort((a, b) => a.t - b.t || a.sessionId.localeCompare(b.sessionId));
}

function inRange(world: World, t: number, start: number, end: number): boolean {
	return t >= start && (world.endExclusive ? t < end : t <= end);
}

/** What one call answers, with the API's cap. */
function fakeApi(world: World, calls: Array<[number, number]>) {
	const all = sessionsOf(world);
	return async (startMs: number, endMs: number): Promise<RangeAnswer> => {
		calls.push([startMs, endMs]);
		let hits = all.filter((s) => inRange(world, s.t, startMs / S, endMs / S));
		if (!world.asc) hits = hits.reverse();
		if (hits.length > world.cap) {
			if (world.overCap === 'error') return 'tooMany';
			hits = hits.slice(0, world.cap);
		}
		return hits.map((s): DialogAnalysisEntry => ({ sessionId: s.sessionId, gmtCreate: String(s.t), status: 'success' }));
	};
}

/** What one call would answer if the API had no cap: the complete list the node must produce. */
function truth(world: World): string[] {
	const hits = sessionsOf(world).filter((s) => inRange(world, s.t, world.start, world.end));
	return (world.asc ? hits : hits.reverse()).map((s) => s.sessionId);
}

/** A list cannot be complete when one second holds a cap's worth of the range's sessions. */
function crowded(world: World): boolean {
	const perSecond = new Map<number, number>();
	for (const s of sessionsOf(world)) {
		if (inRange(world, s.t, world.start, world.end)) perSecond.set(s.t, (perSecond.get(s.t) ?? 0) + 1);
	}
	return [...perSecond.values()].some((count) => count >= world.cap);
}

const worlds = fc
	.record({
		times: fc.array(fc.integer({ min: 0, max: 120 }), { maxLength: 80 }),
		cap: fc.integer({ min: 1, max: 12 }),
		endExclusive: fc.boolean(),
		overCap: fc.constantFrom('silent' as const, 'error' as const),
		asc: fc.boolean(),
		start: fc.integer({ min: 0, max: 60 }),
		span: fc.integer({ min: 0, max: 80 }),
	})
	.map(({ span, ...world }): World => ({ ...world, end: world.start + span }));

describe('readRangeInFull (property): every session of the range, once, in order, or a loud failure', () => {
	it('Return All: the complete list whenever one is possible, a failure only when it is not', async () => {
		await fc.assert(
			fc.asyncProperty(worlds, async (world) => {
				const calls: Array<[number, number]> = [];
				const result = await readRangeInFull(fakeApi(world, calls), world.start * S, world.end * S, {
					cap: world.cap,
					asc: world.asc,
					maxCalls: 100_000,
				});
				if (crowded(world)) {
					expect('failure' in result).toBe(true);
				} else {
					expect('entries' in result && result.entries.map((e) => e.sessionId)).toEqual(truth(world));
				}
				// Every call stays inside the asked range.
				for (const [from, to] of calls) {
					expect(from).toBeGreaterThanOrEqual(world.start * S);
					expect(to).toBeLessThanOrEqual(world.end * S);
				}
			}),
			{
				numRuns: 400,
				// Found by a random run: an end-exclusive API refusing one crowded second once lost both sessions silently.
				examples: [[{ times: [6, 6], cap: 1, endExclusive: true, overCap: 'error', asc: false, start: 0, end: 7 }]],
			},
		);
	});

	it('Limit: the first sessions of the complete list, in order', async () => {
		await fc.assert(
			fc.asyncProperty(worlds, fc.integer({ min: 1, max: 30 }), async (world, limit) => {
				fc.pre(!crowded(world));
				const result = await readRangeInFull(fakeApi(world, []), world.start * S, world.end * S, {
					cap: world.cap,
					asc: world.asc,
					limit,
					maxCalls: 100_000,
				});
				expect('entries' in result).toBe(true);
				if (!('entries' in result)) return;
				expect(result.entries.slice(0, limit).map((e) => e.sessionId)).toEqual(truth(world).slice(0, limit));
			}),
			{ numRuns: 300 },
		);
	});

	it('more calls than allowed is a failure, never a shorter list', async () => {
		await fc.assert(
			fc.asyncProperty(worlds, fc.integer({ min: 1, max: 6 }), async (world, maxCalls) => {
				fc.pre(!crowded(world));
				const calls: Array<[number, number]> = [];
				const result = await readRangeInFull(fakeApi(world, calls), world.start * S, world.end * S, {
					cap: world.cap,
					asc: world.asc,
					maxCalls,
				});
				expect(calls.length).toBeLessThanOrEqual(maxCalls);
				if ('entries' in result) expect(result.entries.map((e) => e.sessionId)).toEqual(truth(world));
				else expect(result.failure.reason).toBe('maxCalls');
			}),
			{ numRuns: 300 },
		);
	});
});

describe('isTooManySessions', () => {
	const node = { id: '1', name: 'Node', type: 'alibabaDialogDetail', typeVersion: 1, position: [0, 0], parameters: {} } as INode;
	const apiError = (message: string) => new NodeApiError(node, {}, { message });

	it.each([
		['Alibaba Cloud DianJin GetDialogAnalysisResult failed: PARAM_ERROR: Too many sessions (12); at most 10 with useUrl=false.', true],
		['PARAM_ERROR: 会话数量超过上限', true],
		['PARAM_ERROR: sessions exceed the limit of 1000', true],
		['Throttling.User: Request was denied due to user flow control; at most 10 QPS', false],
		['PARAM_ERROR: startTime must be yyyy-MM-dd HH:mm:ss.', false],
		['WORKSPACE_NOT_EXIST: Workspace llm-x does not exist', false],
	])('%s → %p', (message, expected) => {
		expect(isTooManySessions(apiError(message))).toBe(expected);
	});

	it('only reads n8n API errors', () => {
		expect(isTooManySessions(new Error('Too many sessions'))).toBe(false);
		expect(isTooManySessions('Too many sessions')).toBe(false);
	});
});
