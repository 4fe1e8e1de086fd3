import { invalidParameter, missingParameter } from '../errors';

export function requiredParam(query: Record<string, string>, name: string): string {
	const value = query[name];
	if (value === undefined || value === '') throw missingParameter(name);
	return value;
}

export interface IntRange {
	min: number;
	max?: number;
	fallback: number;
}

export function intParam(query: Record<string, string>, name: string, range: IntRange): number {
	const raw = query[name];
	if (raw === undefined || raw === '') return range.fallback;
	if (!/^-?\d+$/.test(raw)) throw invalidParameter(name, `${raw} is not an integer.`);
	const value = Number(raw);
	if (value < range.min || (range.max !== undefined && value > range.max)) {
		const bounds = range.max === undefined ? `at least ${range.min}` : `between ${range.min} and ${range.max}`;
		throw invalidParameter(name, `${raw} must be ${bounds}.`);
	}
	return value;
}

/** Alibaba timestamps look like 2025-07-18T06:39:08.000+00:00. */
export function gmt(ms: number): string {
	return new Date(ms).toISOString().replace('Z', '+00:00');
}

export function isoParam(query: Record<string, string>, name: string): number | undefined {
	const raw = query[name];
	if (raw === undefined || raw === '') return undefined;
	const ms = /^\d{4}-\d{2}-\d{2}T/.test(raw) ? Date.parse(raw) : NaN;
	if (Number.isNaN(ms)) throw invalidParameter(name, `${raw} is not an ISO 8601 time such as 2023-01-01T00:00:00Z.`);
	return ms;
}
