import { NodeApiError } from 'n8n-workflow';

import type { DialogAnalysisEntry } from './dianjinApi';

/** Default bound on GetDialogAnalysisResult calls for one time range (the "Max Calls" option). */
export const DEFAULT_MAX_RANGE_CALLS = 200;

/** One call's answer, or `tooMany` when DianJin refused the range for holding too many sessions. */
export type RangeAnswer = DialogAnalysisEntry[] | 'tooMany';

export interface RangeSplitOptions {
	/** Sessions one call handles (10 inline, 1000 via URL); an answer this long may have been cut. */
	cap: number;
	/** Oldest first: earlier sub-ranges are read first, so a Limit stops at the right sessions. */
	asc: boolean;
	/** Stop once this many sessions are in hand (in order); undefined = all. */
	limit?: number;
	/** Hard bound on calls; going past it is an error, never a shorter list. */
	maxCalls: number;
}

/** Why a range could not be read in full; the caller fails with it rather than output part of the list. */
export interface RangeSplitFailure {
	reason: 'maxCalls' | 'crowdedSecond' | 'inconsistent';
	message: string;
}

export type RangeSplitResult = { entries: DialogAnalysisEntry[]; calls: number } | { failure: RangeSplitFailure; calls: number };

const SECOND = 1000;

/**
 * Reads every session of [startMs, endMs] (whole seconds, both ends inclusive) although
 * DianJin handles at most `cap` sessions per call and, as documented, silently drops the
 * rest. An answer of `cap` sessions (or a refusal) means "maybe cut": the range is halved
 * and both halves are asked. The halves share their middle second, so whichever way DianJin
 * treats a range's end (inclusive or not) no session falls between them; sessions that
 * come back twice are kept once, by session id. Sub-ranges are read in output order, so the
 * result is ordered like one call's answer would be.
 */
export async function readRangeInFull(
	fetch: (startMs: number, endMs: number) => Promise<RangeAnswer>,
	startMs: number,
	endMs: number,
	options: RangeSplitOptions,
): Promise<RangeSplitResult> {
	const entries: DialogAnalysisEntry[] = [];
	const seen = new Set<string>();
	// Sessions a cut answer named: the parts of its range must name them again, or the parts miss some.
	const mustSee = new Set<string>();
	let stoppedAtLimit = false;
	// A range refused or cut holds at least this many sessions: its parts must find as many between them.
	const splits: Array<{ need: number; found: Set<string>; unnamed: number; at: number }> = [];
	// Last in, first out: the next range in output order sits on top; each carries the splits it is part of.
	const pending: Array<[number, number, number[]]> = [[startMs, endMs, []]];
	let calls = 0;
	while (pending.length > 0) {
		const [start, end, within] = pending.pop()!;
		if (calls >= options.maxCalls) {
			return {
				calls,
				failure: {
					reason: 'maxCalls',
					message: `The time range holds more sessions than ${options.maxCalls} calls can read (DianJin returns at most ${options.cap} per call), so the list would be incomplete`,
				},
			};
		}
		calls++;
		const answer = await fetch(start, end);
		if (answer === 'tooMany' || answer.length >= options.cap) {
			if (answer !== 'tooMany') for (const entry of answer) if (entry.sessionId) mustSee.add(String(entry.sessionId));
			if (end - start < SECOND) {
				return {
					calls,
					failure: {
						reason: 'crowdedSecond',
						message: `At least ${options.cap} sessions were created within one second (${new Date(start).toISOString()}), more than DianJin returns for one time range`,
					},
				};
			}
			splits.push({ need: answer === 'tooMany' ? options.cap + 1 : answer.length, found: new Set(), unnamed: 0, at: start });
			const parts = [...within, splits.length - 1];
			const middle = start + Math.floor((end - start) / 2 / SECOND) * SECOND;
			const [first, second]: Array<[number, number, number[]]> =
				end - start === SECOND
					? [[start, start, parts], [end, end, parts]]
					: [[start, middle, parts], [middle, end, parts]];
			if (options.asc) pending.push(second, first);
			else pending.push(first, second);
			continue;
		}
		for (const entry of answer) {
			const id = String(entry.sessionId ?? '');
			// Counted in every split this range is part of, even when a neighbour already output it.
			for (const index of within) {
				if (id) splits[index].found.add(id);
				else splits[index].unnamed++;
			}
			if (id && seen.has(id)) continue;
			if (id) seen.add(id);
			entries.push(entry);
		}
		if (options.limit !== undefined && entries.length >= options.limit) {
			stoppedAtLimit = true;
			break;
		}
	}
	// E.g. an API whose range end is exclusive refused one crowded second: its halves [s, s] and [s+1, s+1] find nothing.
	const short = stoppedAtLimit ? undefined : splits.find((split) => split.found.size + split.unnamed < split.need);
	if (short) {
		return {
			calls,
			failure: {
				reason: 'inconsistent',
				message: `DianJin refused or cut the time range from ${new Date(short.at).toISOString()} for holding at least ${short.need} sessions, but its parts hold only ${short.found.size + short.unnamed}, so the list would be incomplete`,
			},
		};
	}
	const missed = stoppedAtLimit ? [] : [...mustSee].filter((id) => !seen.has(id));
	if (missed.length > 0) {
		// E.g. DianJin treats a range's end as exclusive and one second holds a cap's worth of sessions.
		return {
			calls,
			failure: {
				reason: 'inconsistent',
				message: `DianJin's answers for the parts of the time range miss ${missed.length} session(s) its answer for the whole range named (e.g. ${missed[0]}), so the list would be incomplete`,
			},
		};
	}
	return { entries, calls };
}

/**
 * Whether DianJin refused a range for holding too many sessions. The documentation says it
 * cuts silently, so no error code is known; any business error that talks about a count
 * limit is read that way, every other error stays an error.
 */
export function isTooManySessions(error: unknown): boolean {
	if (!(error instanceof NodeApiError)) return false;
	const text = error.message;
	return /too many|at most|exceed|超过|上限|最多/i.test(text) && !/throttl|qps|qpm|rate/i.test(text);
}
