import type { IDataObject } from 'n8n-workflow';

/** Where the trigger keeps its state in the node's static data. */
export const STATE_KEY = 'iceCallTrigger';

const SECOND = 1000;

/** A call seen but not emitted yet: still running, or finished with a log that failed to download. */
export interface PendingCall {
	key: string;
	/** Known when the list item (CallLogUrl) or the call log named it; lets a later poll describe the call. */
	instanceId: string | null;
	status: string | null;
	/** When this trigger first saw the call unfinished or failing (Unix ms); the wait counts from here. */
	firstSeenAt: number;
	/** The creation time lies in [createdFrom, createdBy] (from the range it was listed in). */
	createdFrom: number;
	createdBy: number;
	/** Failed log downloads (or failed look-ups) so far. */
	attempts: number;
	lastError?: string;
}

/**
 * Everything the trigger remembers between polls. It is replaced as a whole at the end of a
 * poll that succeeded, and n8n persists it when that poll's items are handed over, so a poll
 * that throws leaves the previous state: nothing is ever marked emitted that was not returned.
 */
export interface TriggerState {
	version: 1;
	aiAgentId: string;
	/** The Start From parameter this state was built for (null = "now" at activation). */
	configuredStart: number | null;
	/** Calls created before this are never listed. */
	floor: number;
	/** The upper bound of the last successful poll; the next one lists from lowWater - overlap. */
	lowWater: number;
	/** Keys emitted whose creation may still fall in the next listing, with their creation upper bound. */
	emitted: Record<string, number>;
	pending: PendingCall[];
}

export function initialState(aiAgentId: string, configuredStart: number | null, now: number): TriggerState {
	const start = configuredStart ?? now;
	return { version: 1, aiAgentId, configuredStart, floor: start, lowWater: start, emitted: {}, pending: [] };
}

function isPending(value: unknown): value is PendingCall {
	const entry = value as PendingCall;
	return (
		!!entry &&
		typeof entry === 'object' &&
		typeof entry.key === 'string' &&
		typeof entry.firstSeenAt === 'number' &&
		typeof entry.createdFrom === 'number' &&
		typeof entry.createdBy === 'number' &&
		typeof entry.attempts === 'number'
	);
}

/**
 * The stored state, or a fresh one when there is none, it is unreadable, or the user pointed
 * the node at another agent or another Start From (a new start is what they asked for).
 */
export function readState(
	stored: unknown,
	aiAgentId: string,
	configuredStart: number | null,
	now: number,
): TriggerState {
	const state = stored as TriggerState | undefined;
	const usable =
		!!state &&
		typeof state === 'object' &&
		state.version === 1 &&
		state.aiAgentId === aiAgentId &&
		state.configuredStart === configuredStart &&
		typeof state.floor === 'number' &&
		typeof state.lowWater === 'number' &&
		!!state.emitted &&
		typeof state.emitted === 'object' &&
		Array.isArray(state.pending) &&
		state.pending.every(isPending);
	if (!usable) return initialState(aiAgentId, configuredStart, now);
	return {
		...state,
		emitted: { ...state.emitted },
		pending: state.pending.map((entry) => ({ ...entry })),
	};
}

/**
 * Where the next listing starts: the overlap below the low-water mark (calls that show up in
 * the list late), and no later than any running call that has no instance id, because the
 * list is the only place such a call can be checked again. Never before Start From.
 */
export function listStart(state: TriggerState, overlapMs: number): number {
	let start = state.lowWater - overlapMs;
	for (const entry of state.pending) {
		if (entry.instanceId === null) start = Math.min(start, entry.createdFrom);
	}
	return Math.max(state.floor, start);
}

/** Emitted keys that the next listing can no longer return are forgotten: this bounds the state. */
export function pruneEmitted(emitted: Record<string, number>, nextListStart: number): Record<string, number> {
	const kept: Record<string, number> = {};
	for (const [key, createdBy] of Object.entries(emitted)) {
		if (createdBy >= nextListStart - SECOND) kept[key] = createdBy;
	}
	return kept;
}

/** Plain data for static data (n8n stores it as JSON). */
export function toStaticData(state: TriggerState): IDataObject {
	return JSON.parse(JSON.stringify(state)) as IDataObject;
}
