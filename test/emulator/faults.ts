import type { Fault, FaultKind } from './types';

export const FAULT_KINDS: readonly FaultKind[] = [
	'throttle',
	'ccaiThrottle',
	'serverError',
	'drop',
	'truncateSse',
	'htmlStream',
	'sseFailure',
	'expireStreamToken',
	'latency',
	'forbidden',
	'echoSecrets',
	'callLogMalformed',
	'callLogHuge',
	'callLogExpired',
	'callLogNotFound',
	'callLogUrlPending',
	'resetBeforeRequest',
	'stallAfterHeaders',
	'slowDrip',
	'gzipBomb',
	'malformedJson',
	'successFalse',
];

/** What a fault is matched against. */
export interface FaultTarget {
	action?: string;
	rawPath: string;
	instanceId?: string;
	/** Query string and body as sent, for `match.requestIncludes`. */
	rawQuery?: string;
	body?: string;
}

/** What a fault is matched against, read from a request. */
export function targetOf(
	ex: { action?: string; rawPath: string; rawQuery: string; body: Buffer },
	extra: Partial<FaultTarget> = {},
): FaultTarget {
	return { action: ex.action, rawPath: ex.rawPath, rawQuery: ex.rawQuery, body: ex.body.toString('utf8'), ...extra };
}

interface QueuedFault {
	fault: Fault;
	remaining: number;
}

/** Turns the JSON-friendly spellings of "forever" into Infinity. */
function normalizeTimes(times: unknown): number {
	if (times === undefined) return 1;
	if (times === null || times === 'Infinity' || times === -1) return Infinity;
	const n = Number(times);
	if (!Number.isFinite(n) && n !== Infinity) throw new Error(`times must be a number, got ${String(times)}`);
	return n;
}

function safeDecode(path: string): string {
	try {
		return decodeURIComponent(path);
	} catch {
		return path;
	}
}

function matches(fault: Fault, target: FaultTarget): boolean {
	const match = fault.match;
	if (!match) return true;
	if (match.action !== undefined && match.action !== target.action) return false;
	if (match.instanceId !== undefined && match.instanceId !== target.instanceId) return false;
	if (match.pathIncludes !== undefined) {
		const part = match.pathIncludes;
		if (!target.rawPath.includes(part) && !safeDecode(target.rawPath).includes(part)) return false;
	}
	if (match.requestIncludes !== undefined) {
		// One item's request among many alike: its id or text may sit in the path, the query or the body.
		const raw = `${target.rawPath}?${target.rawQuery ?? ''}\n${target.body ?? ''}`;
		if (!raw.includes(match.requestIncludes) && !safeDecode(raw.replace(/\+/g, ' ')).includes(match.requestIncludes)) return false;
	}
	return true;
}

/**
 * Faults fire in the order they were added. Each request stage asks only for the kinds
 * it can act on, so a stream fault waits for a stream request instead of being wasted.
 */
export class FaultQueue {
	private queue: QueuedFault[] = [];

	add(input: Fault): Fault {
		if (!FAULT_KINDS.includes(input.kind)) throw new Error(`unknown fault kind: ${String(input.kind)}`);
		const remaining = normalizeTimes(input.times);
		const fault: Fault = { ...input, times: remaining };
		if (remaining > 0) this.queue.push({ fault, remaining });
		return fault;
	}

	take(target: FaultTarget, kinds: readonly FaultKind[]): Fault | undefined {
		const index = this.queue.findIndex((q) => kinds.includes(q.fault.kind) && matches(q.fault, target));
		if (index === -1) return undefined;
		const entry = this.queue[index];
		entry.remaining -= 1;
		if (entry.remaining <= 0) this.queue.splice(index, 1);
		return entry.fault;
	}

	pending(): Array<Fault & { remaining: number }> {
		return this.queue.map((q) => ({ ...q.fault, remaining: q.remaining }));
	}

	clear(): void {
		this.queue = [];
	}
}
