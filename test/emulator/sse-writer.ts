import { delay } from './delay';
import type { Exchange } from './exchange';

export interface SseEvent {
	id?: string;
	event?: string;
	/** Comment lines (without the leading colon), written before the data line. */
	comments?: string[];
	data: string;
}

/** Split points cycle through these byte lengths so chunk edges land mid-line and mid-character. */
const CHUNK_SIZES = [7, 161, 2, 413, 29, 5, 851, 17];

/**
 * Writes an event stream the awkward way real networks deliver it: events split across
 * TCP writes at odd byte offsets (including inside multi-byte UTF-8 characters), a few
 * CRLF line ends, a keep-alive comment, and small pauses between writes.
 */
export class SseWriter {
	private eventCount = 0;
	private chunkIndex = 0;

	constructor(
		private readonly ex: Exchange,
		private readonly gapMs: number,
	) {}

	start(contentType = 'text/event-stream;charset=UTF-8'): void {
		this.ex.req.socket.setNoDelay(true);
		this.ex.writeHead(200, {
			'content-type': contentType,
			'cache-control': 'no-cache',
			connection: 'keep-alive',
		});
		this.ex.res.flushHeaders();
	}

	get aborted(): boolean {
		return this.ex.res.destroyed || this.ex.res.writableEnded;
	}

	async send(event: SseEvent): Promise<void> {
		const crlf = this.eventCount % 3 === 2;
		let text = this.format(event, crlf ? '\r\n' : '\n');
		if (this.eventCount === 0) text += ': keep-alive\n\n';
		this.eventCount += 1;
		await this.writeInPieces(Buffer.from(text, 'utf8'));
	}

	end(): void {
		if (!this.aborted) this.ex.res.end();
	}

	private format(event: SseEvent, eol: string): string {
		const lines: string[] = [];
		for (const comment of event.comments ?? []) lines.push(`:${comment}`);
		if (event.id !== undefined) lines.push(`id:${event.id}`);
		if (event.event !== undefined) lines.push(`event:${event.event}`);
		lines.push(`data:${event.data}`);
		return lines.join(eol) + eol + eol;
	}

	private async writeInPieces(bytes: Buffer): Promise<void> {
		let offset = 0;
		while (offset < bytes.length) {
			if (this.aborted) return;
			const size = CHUNK_SIZES[this.chunkIndex++ % CHUNK_SIZES.length];
			this.ex.res.write(bytes.subarray(offset, offset + size));
			offset += size;
			await delay(this.gapMs);
		}
	}
}
