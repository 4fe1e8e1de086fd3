import type { IDataObject } from 'n8n-workflow';

import { type AlibabaClient, errorInfoFromResponse, type RoaCall } from '../../../shared/transport';
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

function finishReasonOf(value: unknown): string | null {
	return typeof value === 'string' && value.trim() ? value : null;
}

/**
 * Reads an AnalyzeConversation event stream to its end. `onDelta` gets each new piece of text
 * as it arrives. A stream that closes before any event names a finish reason is an error:
 * what arrived is only part of the analysis.
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
	let last: IDataObject = {};
	let requestId: string | undefined;
	let finishReason: string | null = null;
	let count = 0;
	for await (const event of events) {
		const data = event.data.trim();
		if (!data || data === '[DONE]') continue;
		count++;
		let payload: IDataObject;
		try {
			payload = JSON.parse(data) as IDataObject;
		} catch {
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
		finishReason = finishReasonOf(payload.finishReason);
		const delta = text.push(typeof payload.text === 'string' ? payload.text : '', finishReason !== null);
		if (delta) onDelta?.(delta);
		last = payload;
		if (finishReason !== null) break;
	}
	if (finishReason === null) {
		client.fail({
			code: 'StreamEndedEarly',
			message: `The stream ended early: ${count} event(s) arrived but none with finishReason "stop", so the analysis is incomplete. Run the node again.`,
			operation,
			requestId,
		});
	}
	return {
		text: text.text,
		finishReason,
		inputTokens: last.inputTokens,
		outputTokens: last.outputTokens,
		totalTokens: last.totalTokens,
		requestId,
	};
}
