import type { IDataObject } from 'n8n-workflow';

import { type AlibabaClient, errorInfoFromResponse, type RoaCall, type SseEvent } from '../../../shared/transport';
import type { Analysis } from './output';

/**
 * Alibaba does not say whether CCAI stream events carry the new piece of text or everything so
 * far, so both are accepted. The mode is fixed by the first event that proves it: a strictly
 * longer text starting with what we have is cumulative, anything else incremental. An event
 * repeating the whole text proves nothing and adds nothing.
 */
export class StreamText {
	text = '';

	private mode: 'unknown' | 'incremental' | 'cumulative' = 'unknown';

	private pieces = 0;

	/** Takes one event's text; returns the part that is new. */
	push(piece: string, final: boolean): string {
		if (!piece) return '';
		this.pieces++;
		if (this.text === '') {
			this.text = piece;
			return piece;
		}
		if (this.mode === 'unknown') {
			if (piece === this.text) return '';
			this.mode = piece.startsWith(this.text) ? 'cumulative' : 'incremental';
		}
		if (this.mode === 'cumulative') {
			if (piece.startsWith(this.text)) {
				const delta = piece.slice(this.text.length);
				this.text = piece;
				return delta;
			}
			// A shorter repeat adds nothing; a rewrite replaces the text, but cannot be sent as a delta.
			if (!this.text.startsWith(piece)) this.text = piece;
			return '';
		}
		// Some streams close by repeating the whole answer; appending it would double the text.
		if (final && this.pieces > 2 && piece === this.text) return '';
		this.text += piece;
		return piece;
	}
}

/**
 * A finish reason that says the answer is finished. The doc says `null` while generating, but
 * DashScope-framed streams (which CCAI's copies: `id:`, `event:result`, `:HTTP_STATUS/200`)
 * send the string "null", so "null", null, empty and absent all mean "not finished".
 */
export function finishReasonOf(value: unknown): string | null {
	if (typeof value !== 'string') return null;
	const reason = value.trim();
	return reason && reason.toLowerCase() !== 'null' ? reason : null;
}

/** An event named done/end/finish(ed)/complete(d) closes the stream; its data, if any, is still read. */
function isEndEvent(event: SseEvent): boolean {
	return /^(done|end|finish(ed)?|complete(d)?)$/i.test(event.event ?? '');
}

/**
 * Reads an AnalyzeConversation event stream to its end: the end of the stream or an explicit
 * end marker, never the first finish reason, because a reason that only looks set ("null")
 * would otherwise cut the answer to its first piece. `onDelta` gets each new piece of text
 * as it arrives. A stream that closes without any event naming a finish reason (and without
 * an end marker) is an error: what arrived is only part of the analysis.
 */
export async function readAnalysisStream(
	client: AlibabaClient,
	call: RoaCall,
	onStart?: () => void,
	onDelta?: (delta: string) => void,
): Promise<Analysis> {
	const operation = client.operationName(call.service, call.action);
	const events = await client.roaEvents(call);
	onStart?.();
	const text = new StreamText();
	const tokens: Pick<Analysis, 'inputTokens' | 'outputTokens' | 'totalTokens'> = {
		inputTokens: undefined,
		outputTokens: undefined,
		totalTokens: undefined,
	};
	let requestId: string | undefined;
	let finishReason: string | null = null;
	let endMarker = false;
	let count = 0;
	for await (const event of events) {
		const data = event.data.trim();
		// OpenAI-style `data: [DONE]`.
		if (data === '[DONE]') {
			endMarker = true;
			break;
		}
		if (!data) {
			if (isEndEvent(event)) {
				endMarker = true;
				break;
			}
			continue;
		}
		count++;
		let payload: IDataObject;
		try {
			payload = JSON.parse(data) as IDataObject;
		} catch {
			// `event: done` with a word for data closes the stream like `[DONE]`.
			if (isEndEvent(event)) {
				endMarker = true;
				break;
			}
			client.fail({
				code: 'InvalidStreamEvent',
				message: `Event ${count} of the stream is not JSON, so the answer cannot be read. Run the node again, or turn Stream off.`,
				operation,
				requestId,
			});
		}
		if (typeof payload.requestId === 'string' && payload.requestId) requestId = payload.requestId;
		if (payload.success === false) {
			client.fail({ ...errorInfoFromResponse(operation, undefined, payload), requestId });
		}
		finishReason = finishReasonOf(payload.finishReason) ?? finishReason;
		const delta = text.push(typeof payload.text === 'string' ? payload.text : '', finishReason !== null);
		if (delta) onDelta?.(delta);
		// Counts may come on any event, the last ones being the totals; an event without them keeps the earlier ones.
		for (const key of ['inputTokens', 'outputTokens', 'totalTokens'] as const) {
			if (payload[key] !== undefined && payload[key] !== null && payload[key] !== '') tokens[key] = payload[key];
		}
		if (isEndEvent(event)) {
			endMarker = true;
			break;
		}
	}
	if (finishReason === null && !endMarker) {
		client.fail({
			code: 'StreamEndedEarly',
			message: `The stream ended early: ${count} event(s) arrived but none with a finish reason such as "stop", so the analysis is incomplete. Run the node again.`,
			operation,
			requestId,
		});
	}
	return { text: text.text, finishReason, ...tokens, requestId };
}
