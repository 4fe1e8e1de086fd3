import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

import { formatBeijing, toInstant } from './beijingTime';

function instantParameter(ctx: IExecuteFunctions, name: string, label: string, itemIndex: number): number {
	const raw = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	const empty = raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
	const instant = empty ? undefined : toInstant(raw, ctx.getTimezone());
	if (instant === undefined) {
		throw new NodeOperationError(
			ctx.getNode(),
			empty ? `${label} is empty` : `${label} "${String(raw)}" is not a date and time`,
			{
				itemIndex,
				description:
					'Pick a date and time, or use an expression such as {{ $today.minus({ days: 1 }) }} or an ISO 8601 text like 2025-08-14T00:00:00+08:00.',
			},
		);
	}
	return instant;
}

/** DianJin's times have whole seconds; both ends are cut to theirs, as the text form would be. */
function wholeSecond(instant: number): number {
	return Math.floor(instant / 1000) * 1000;
}

/**
 * Start and end of a GetDialogAnalysisResult query, checked, on whole seconds: as instants
 * (to split the range) and written in Beijing time (what DianJin reads).
 */
export function analysisTimeRange(
	ctx: IExecuteFunctions,
	itemIndex: number,
): { startTime: string; endTime: string; startMs: number; endMs: number } {
	const start = wholeSecond(instantParameter(ctx, 'startTime', 'Start Time', itemIndex));
	const end = wholeSecond(instantParameter(ctx, 'endTime', 'End Time', itemIndex));
	if (start > end) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Start Time (${formatBeijing(start)}) is after End Time (${formatBeijing(end)}), Beijing time`,
			{ itemIndex, description: 'Swap the two times, or check the expressions that compute them.' },
		);
	}
	return { startTime: formatBeijing(start), endTime: formatBeijing(end), startMs: start, endMs: end };
}
