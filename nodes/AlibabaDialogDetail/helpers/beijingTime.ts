/**
 * DianJin runs in China and reads `yyyy-MM-dd HH:mm:ss` as Beijing time (UTC+8, no daylight
 * saving), whatever time zone the n8n instance or workflow uses.
 */
const BEIJING_OFFSET_MS = 8 * 60 * 60 * 1000;

/** A date-time without a zone, as n8n's date picker produces: `2025-08-14T09:30:00`. */
const NAIVE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?$/;

/** How far `timeZone`'s wall clock is ahead of UTC at the instant `utcMs`. */
function zoneOffsetMs(utcMs: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(utcMs));
	const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
	const wallAsUtc = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
	return wallAsUtc - Math.floor(utcMs / 1000) * 1000;
}

function naiveInZone(match: RegExpExecArray, timeZone: string): number {
	const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '0'] = match;
	const wall = Date.UTC(
		Number(year),
		Number(month) - 1,
		Number(day),
		Number(hour),
		Number(minute),
		Number(second),
		Number(fraction.padEnd(3, '0').slice(0, 3)),
	);
	// Two passes settle the offset on the right side of a daylight-saving change.
	const guess = wall - zoneOffsetMs(wall, timeZone);
	return wall - zoneOffsetMs(guess, timeZone);
}

/**
 * The instant a date-time parameter stands for. Strings with a zone (`Z`, `+08:00`) are
 * exact; strings without one are read in `timeZone` (the workflow's), as n8n's date picker
 * means them. Luxon DateTimes (from `{{ $now }}`-style expressions) and Dates are exact too.
 */
export function toInstant(value: unknown, timeZone: string): number | undefined {
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (value && typeof value === 'object') {
		const dateTime = value as { toMillis?: () => number; toISO?: () => string };
		if (typeof dateTime.toMillis === 'function') return toInstant(dateTime.toMillis(), timeZone);
		if (typeof dateTime.toISO === 'function') return toInstant(dateTime.toISO(), timeZone);
		return undefined;
	}
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (!text) return undefined;
	const naive = NAIVE.exec(text);
	if (naive) return naiveInZone(naive, timeZone);
	const parsed = Date.parse(text);
	return Number.isNaN(parsed) ? undefined : parsed;
}

/** `yyyy-MM-dd HH:mm:ss` in Beijing time; milliseconds are dropped. */
export function formatBeijing(instantMs: number): string {
	return new Date(instantMs + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ');
}
