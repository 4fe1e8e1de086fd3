import type { IExecuteFunctions } from 'n8n-workflow';

/** Older n8n versions have neither method, so both are optional here. */
type StreamingContext = Partial<Pick<IExecuteFunctions, 'isStreaming' | 'sendChunk'>>;

export function canStream(ctx: IExecuteFunctions): boolean {
	const streaming = ctx as StreamingContext;
	return typeof streaming.isStreaming === 'function' && typeof streaming.sendChunk === 'function' && streaming.isStreaming();
}

/**
 * The text to send after `sent` has gone out and the stream now says `text`, or undefined
 * when there is nothing to send yet: either nothing new, or the bot rewrote what was sent
 * (a chat UI cannot take text back, so we wait for the stream to catch up again).
 */
export function nextDelta(sent: string, text: string): string | undefined {
	return text.length > sent.length && text.startsWith(sent) ? text.slice(sent.length) : undefined;
}

/** Separates a corrected answer from a streamed one that the bot rewrote after it was shown. */
export const REWRITE_SEPARATOR = '\n\n';

/**
 * Turns the cumulative answers into the deltas n8n streams to a Chat Trigger or a streaming
 * Webhook. When streaming is off (or unavailable) every call is a no-op.
 */
export class AnswerStreamer {
	private sent = '';

	private open = false;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly itemIndex: number,
		private readonly enabled: boolean,
	) {}

	async begin(): Promise<void> {
		if (!this.enabled || this.open) return;
		this.open = true;
		await this.send('begin');
	}

	async update(text: string): Promise<void> {
		if (!this.open) return;
		const delta = nextDelta(this.sent, text);
		if (delta === undefined) return;
		this.sent = text;
		await this.send('item', delta);
	}

	/**
	 * If the final answer does not continue what was streamed, the reader gets the whole final
	 * answer after a blank line rather than a wrong one; the node's output is the final answer.
	 */
	async complete(finalText: string): Promise<void> {
		if (!this.open) return;
		if (nextDelta(this.sent, finalText) !== undefined || finalText === this.sent) {
			await this.update(finalText);
		} else {
			this.sent = finalText;
			await this.send('item', `${REWRITE_SEPARATOR}${finalText}`);
		}
		await this.end();
	}

	async end(): Promise<void> {
		if (!this.open) return;
		this.open = false;
		await this.send('end');
	}

	private async send(type: 'begin' | 'item' | 'end', content?: string): Promise<void> {
		// n8n-core's sendChunk is async although its interface says void; awaiting keeps chunk order.
		await Promise.resolve(this.ctx.sendChunk(type, this.itemIndex, content));
	}
}
