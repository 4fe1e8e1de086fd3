/**
 * Paging over a creation-time range for list APIs that cap the page number (ICE's
 * ListAIAgentInstance allows PageNumber 1..100) and report no total. When the cap is reached
 * the range is split in two and each half is paged again, so nothing is cut; neighbouring
 * halves overlap by one time unit (the API's resolution), so an item on the boundary is read
 * whatever the API's inclusivity, and items seen twice are dropped by key.
 */

/** Unix ms; an open bound is resolved only when the range has to be split. */
export interface TimeRange {
	startMs?: number;
	endMs?: number;
}

export interface ClosedTimeRange {
	startMs: number;
	endMs: number;
}

export interface RangePagingOptions<T> {
	pageSize: number;
	/** The API's highest page number. */
	maxPages: number;
	/** The API's time resolution (1000 for whole seconds): split points are multiples of it from the start. */
	resolutionMs: number;
	/** Identity of an item; the first sighting wins. */
	keyOf: (item: T) => string;
	/** Which half of a split range is read first; items of one page keep the API's order. */
	order: 'oldestFirst' | 'newestFirst';
	/** Stop once this many distinct items are read. */
	limit?: number;
	/** Where an open start is closed when a split is needed (the earliest an item can exist). */
	openStartMs: number;
	/** Where an open end is closed when a split is needed (normally "now"). */
	openEndMs: number;
	/** A hard bound on page requests, so a pathological range fails instead of running for hours. */
	maxRequests?: number;
	/** Called when a range cannot be split further or maxRequests is reached; must throw. */
	fail: (reason: RangePagingFailure) => never;
}

export type RangePagingFailure =
	| { kind: 'tooDense'; range: ClosedTimeRange; pageCapacity: number }
	| { kind: 'tooManyRequests'; requests: number; range: TimeRange };

/** An item and the range it was listed in: its creation time lies within that range. */
export interface RangedItem<T> {
	item: T;
	range: TimeRange;
}

export type RangePageFetcher<T> = (range: TimeRange, pageNumber: number, pageSize: number) => Promise<T[]>;

const DEFAULT_MAX_REQUESTS = 5000;

/** Halves that overlap by one resolution unit; undefined when the range is too narrow to shrink. */
export function splitRange(range: ClosedTimeRange, resolutionMs: number): [ClosedTimeRange, ClosedTimeRange] | undefined {
	const units = Math.floor((range.endMs - range.startMs) / resolutionMs);
	if (units < 3) return undefined;
	const mid = range.startMs + Math.floor(units / 2) * resolutionMs;
	return [
		{ startMs: range.startMs, endMs: Math.min(range.endMs, mid + resolutionMs) },
		{ startMs: mid, endMs: range.endMs },
	];
}

export async function collectRangePages<T>(
	fetchPage: RangePageFetcher<T>,
	range: TimeRange,
	options: RangePagingOptions<T>,
): Promise<Array<RangedItem<T>>> {
	const seen = new Set<string>();
	const results: Array<RangedItem<T>> = [];
	const maxRequests = options.maxRequests ?? DEFAULT_MAX_REQUESTS;
	let requests = 0;
	const full = () => options.limit !== undefined && results.length >= options.limit;

	const visit = async (current: TimeRange): Promise<void> => {
		// Held apart until the range is known not to need a split; page shifts can repeat an item.
		const fresh = new Map<string, T>();
		let capped = true;
		for (let page = 1; page <= options.maxPages; page++) {
			if (requests >= maxRequests) options.fail({ kind: 'tooManyRequests', requests, range: current });
			requests++;
			const items = await fetchPage(current, page, options.pageSize);
			for (const item of items) {
				const key = options.keyOf(item);
				if (!seen.has(key) && !fresh.has(key)) fresh.set(key, item);
			}
			// A limit reached before the cap needs no split: the pages read so far are the answer.
			const enough = options.limit !== undefined && results.length + fresh.size >= options.limit;
			if (items.length < options.pageSize || enough) {
				capped = false;
				break;
			}
		}
		if (!capped) {
			for (const [key, item] of fresh) {
				if (full()) return;
				seen.add(key);
				results.push({ item, range: current });
			}
			return;
		}
		// Every page was full: the range may hold more than the API lets us page through.
		const closed: ClosedTimeRange = {
			startMs: current.startMs ?? options.openStartMs,
			endMs: current.endMs ?? options.openEndMs,
		};
		const halves = splitRange(closed, options.resolutionMs);
		if (!halves) options.fail({ kind: 'tooDense', range: closed, pageCapacity: options.maxPages * options.pageSize });
		const [older, newer] = halves;
		for (const half of options.order === 'oldestFirst' ? [older, newer] : [newer, older]) {
			await visit(half);
			if (full()) return;
		}
	};

	await visit(range);
	return results;
}
