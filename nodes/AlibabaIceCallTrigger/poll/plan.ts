import type { PendingCall } from './state';

const SECOND = 1000;

export interface PollSettings {
	includeCallLog: boolean;
	/** How long a call may stay unfinished (from when it was first seen) before it is emitted as such. */
	maxWaitMs: number;
	/** Later polls that retry a failed log download before the call is emitted with callLogError. */
	logRetries: number;
	overlapMs: number;
}

/** A call as one poll sees it, from the list or from DescribeAIAgentInstance. */
export interface ObservedCall {
	key: string;
	instanceId: string | null;
	status: string | null;
	createdFrom: number;
	createdBy: number;
}

export type CallOutcome =
	| { kind: 'running' }
	/** Finished and, when asked for, its log downloaded. */
	| { kind: 'done' }
	/** Finished but its log failed, or it could not be looked up: counted as one attempt. */
	| { kind: 'failed'; error: string }
	/** Still pending but not seen by this poll (no id to look it up with). */
	| { kind: 'unseen' };

export type Decision =
	| { emit: true; callLogError?: string }
	| { emit: false; pending: PendingCall };

/** Status values that mean the call has not ended; anything else is treated as ended. */
export function isRunning(status: string | null): boolean {
	return status === 'Executing' || status === 'Created';
}

/**
 * A call whose ISO creation bounds come from a listed range [start, end]: the API compares
 * creation times in whole seconds, so the bounds are widened to those seconds.
 */
export function creationBounds(range: { startMs?: number; endMs?: number }, fallbackEnd: number) {
	const start = range.startMs ?? 0;
	const end = range.endMs ?? fallbackEnd;
	return { createdFrom: Math.floor(start / SECOND) * SECOND, createdBy: Math.ceil(end / SECOND) * SECOND + SECOND };
}

function hours(ms: number): string {
	return `${Number((ms / 3_600_000).toPrecision(3))} h`;
}

/**
 * What one poll does with one call, given what it observed and what was remembered. Pure, so
 * the rules can be read (and tested) apart from the API calls:
 * - a finished call with its log (or with no log wanted) is emitted;
 * - a running call waits, until it has been seen unfinished for longer than Max Wait;
 * - a failing log is retried on later polls, then emitted with the error;
 * in every case a call leaves "pending" only by being emitted, so none is dropped.
 */
export function decide(
	call: ObservedCall,
	previous: PendingCall | undefined,
	outcome: CallOutcome,
	now: number,
	settings: PollSettings,
): Decision {
	const firstSeenAt = previous?.firstSeenAt ?? now;
	const waited = now - firstSeenAt;
	const base: PendingCall = {
		key: call.key,
		instanceId: call.instanceId ?? previous?.instanceId ?? null,
		status: call.status ?? previous?.status ?? null,
		firstSeenAt,
		createdFrom: Math.min(call.createdFrom, previous?.createdFrom ?? call.createdFrom),
		createdBy: previous ? Math.min(call.createdBy, previous.createdBy) : call.createdBy,
		attempts: previous?.attempts ?? 0,
		...(previous?.lastError ? { lastError: previous.lastError } : {}),
	};
	switch (outcome.kind) {
		case 'done':
			return { emit: true };
		case 'running':
			if (waited >= settings.maxWaitMs) {
				return {
					emit: true,
					callLogError: `The call was still "${base.status ?? 'running'}" ${hours(waited)} after this trigger first saw it, longer than the node's "Max Wait For Unfinished Call", so it is output once without its log. Look it up in the ICE console; raise the option if calls run longer.`,
				};
			}
			return { emit: false, pending: base };
		case 'unseen':
			if (waited >= settings.maxWaitMs) {
				return {
					emit: true,
					callLogError: `The call was last seen with status "${base.status ?? 'unknown'}" and has not been listed again for ${hours(waited)}; it has no instance id to look it up with, so it is output once without its log.`,
				};
			}
			return { emit: false, pending: base };
		case 'failed': {
			const attempts = base.attempts + 1;
			if (attempts > settings.logRetries) {
				return {
					emit: true,
					callLogError: `The call log could not be read after ${attempts} attempt(s) on ${attempts} poll(s): ${outcome.error}`,
				};
			}
			return { emit: false, pending: { ...base, attempts, lastError: outcome.error } };
		}
	}
}
