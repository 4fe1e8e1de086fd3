import type { IDataObject } from 'n8n-workflow';

/** What one analysis produced, streamed or not. */
export interface Analysis {
	text: string;
	finishReason: string | null;
	inputTokens: unknown;
	outputTokens: unknown;
	totalTokens: unknown;
	requestId?: string;
}

/** Token counts arrive as strings, sometimes empty: a number, or null when the service gave none. */
export function tokenCount(value: unknown): number | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value !== 'string' || !value.trim()) return null;
	const number = Number(value);
	return Number.isFinite(number) ? number : null;
}

const FENCE = /^```[a-zA-Z]*[ \t]*\r?\n([\s\S]*?)\r?\n?```$/;

/**
 * Structured result types come back as JSON text, sometimes wrapped in a Markdown code fence
 * by the model. Only objects and arrays are parsed: a summary that happens to be `42` or
 * `"yes"` stays the text it is.
 */
export function parseResult(text: string): unknown {
	let candidate = text.trim();
	const fenced = FENCE.exec(candidate);
	if (fenced) candidate = fenced[1].trim();
	if (!/^[[{]/.test(candidate)) return text;
	try {
		return JSON.parse(candidate) as unknown;
	} catch {
		return text;
	}
}

export function toOutput(analysis: Analysis, keepRawText: boolean, sessionId: string | undefined): IDataObject {
	return {
		text: analysis.text,
		result: (keepRawText ? analysis.text : parseResult(analysis.text)) as IDataObject,
		finishReason: analysis.finishReason,
		inputTokens: tokenCount(analysis.inputTokens),
		outputTokens: tokenCount(analysis.outputTokens),
		totalTokens: tokenCount(analysis.totalTokens),
		requestId: analysis.requestId ?? null,
		...(sessionId ? { sessionId } : {}),
	};
}

/**
 * Same keys as an analysis, so a table or an IF node downstream reads both alike; `skipped`
 * tells them apart and `skipReason` says why, for whoever looks at the row later.
 */
export function skippedOutput(reason: string): IDataObject {
	return {
		skipped: true,
		skipReason: `Not analyzed: ${reason}. No request was sent, so nothing was billed.`,
		text: '',
		result: null,
		finishReason: null,
		inputTokens: null,
		outputTokens: null,
		totalTokens: null,
		requestId: null,
	};
}
