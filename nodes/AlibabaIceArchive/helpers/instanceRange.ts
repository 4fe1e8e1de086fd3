import type { IDataObject } from 'n8n-workflow';

import {
	type AlibabaClient,
	collectRangePages,
	type RangedItem,
	type RangePagingFailure,
	type TimeRange,
} from '../../shared/transport';
import { listInstancesPage, MAX_INSTANCE_PAGES } from './api';
import { listItemKey } from './listItemKey';
import { toApiIso } from './time';

/** ICE AI agents did not exist before this, so an open start is closed here when a range must be split. */
export const EARLIEST_CALL_MS = Date.parse('2020-01-01T00:00:00Z');

const SECOND = 1000;

export interface InstanceRangeQuery {
	aiAgentId: string;
	range: TimeRange;
	pageSize: number;
	order: 'oldestFirst' | 'newestFirst';
	limit?: number;
	/** Closes an open end when a split is needed. */
	now: number;
}

function iso(ms: number | undefined, bound: 'start' | 'end'): string | undefined {
	return ms === undefined ? undefined : toApiIso(ms, bound);
}

function describeFailure(reason: RangePagingFailure): string {
	if (reason.kind === 'tooDense') {
		return `More than ${reason.pageCapacity} calls were created between ${iso(reason.range.startMs, 'start')} and ${iso(reason.range.endMs, 'end')}, more than ListAIAgentInstance can page through (100 pages) even after splitting the time range down to seconds. Raise Page Size to 100 if it is lower.`;
	}
	return `Listing the calls took more than ${reason.requests} ListAIAgentInstance requests. Narrow the time range (Start Time / End Time) and run again.`;
}

/**
 * Every instance created in `range`, each once, with the sub-range it was listed in. Pages
 * past ListAIAgentInstance's 100-page cap by splitting the range (see rangePaging.ts), so a
 * busy agent's oldest calls are never cut. The list has no InstanceId: items are told apart
 * by listItemKey.
 */
export async function listInstancesInRange(
	client: AlibabaClient,
	query: InstanceRangeQuery,
): Promise<Array<RangedItem<IDataObject>>> {
	return await collectRangePages<IDataObject>(
		async (range, pageNumber, pageSize) =>
			await listInstancesPage(
				client,
				{ aiAgentId: query.aiAgentId, startTime: iso(range.startMs, 'start'), endTime: iso(range.endMs, 'end') },
				pageNumber,
				pageSize,
			),
		query.range,
		{
			pageSize: query.pageSize,
			maxPages: MAX_INSTANCE_PAGES,
			resolutionMs: SECOND,
			keyOf: listItemKey,
			order: query.order,
			limit: query.limit,
			openStartMs: EARLIEST_CALL_MS,
			openEndMs: query.now,
			fail: (reason) =>
				client.fail({
					code: reason.kind === 'tooDense' ? 'TooManyInstances' : 'TooManyRequests',
					message: describeFailure(reason),
					operation: client.operationName('ice', 'ListAIAgentInstance'),
				}),
		},
	);
}
