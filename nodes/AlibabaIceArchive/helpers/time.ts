import { NodeOperationError, tryToParseDateTime, type IExecuteFunctions } from 'n8n-workflow';

/** Below this a bare number is read as Unix seconds, above it as Unix milliseconds (year 5138 vs 1973). */
const SECONDS_LIMIT = 1e11;

/**
 * A Date & Time parameter as Unix ms, or undefined when empty. Values without an offset
 * (what the date picker produces) are read in the workflow's time zone, as n8n does
 * elsewhere; bare numbers are Unix seconds or milliseconds.
 */
export function parseTime(
	ctx: Pick<IExecuteFunctions, 'getNode' | 'getTimezone'>,
	value: unknown,
	label: string,
	itemIndex: number,
): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value.trim()))) {
		const n = Number(value);
		return n < SECONDS_LIMIT ? n * 1000 : n;
	}
	let ms: number;
	try {
		ms = (tryToParseDateTime(value, ctx.getTimezone()) as { toMillis(): number }).toMillis();
	} catch {
		ms = Number.NaN;
	}
	if (!Number.isFinite(ms)) {
		throw new NodeOperationError(ctx.getNode(), `${label} "${String(value)}" is not a valid date and time`, {
			description: 'Use an ISO 8601 value such as 2025-08-14T09:30:00Z, or pick a date in the field.',
			itemIndex,
		});
	}
	return ms;
}

/**
 * The style ListAIAgentInstance documents: `2023-01-01T00:00:00Z`, UTC, whole seconds.
 * An end bound rounds up so the range never shrinks.
 */
export function toApiIso(ms: number, bound: 'start' | 'end'): string {
	const seconds = bound === 'end' ? Math.ceil(ms / 1000) : Math.floor(ms / 1000);
	return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
