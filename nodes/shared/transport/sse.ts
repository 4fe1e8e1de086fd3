export interface SseEvent {
	/** `event:` field; undefined means the default "message". */
	event?: string;
	data: string;
	/** The event's own `id:` field, if it had one (not carried over from earlier events). */
	id?: string;
}

/**
 * Incremental Server-Sent Events parser following the WHATWG rules: `\n`, `\r\n` and `\r`
 * line ends (even when the `\r` and `\n` land in different chunks), comments, multi-line
 * `data`, one optional space after the colon, UTF-8 split across chunks, one leading BOM
 * dropped, and a final event without its blank line is dropped as incomplete. Events match
 * eventsource-parser's, which the tests use as the oracle.
 */
export class SseParser {
	/** Drops one leading BOM itself, as the spec's UTF-8 decode does. */
	private readonly decoder = new TextDecoder('utf-8');

	private buffer = '';

	private pendingCarriageReturn = false;

	private atStart = true;

	private data: string[] = [];

	private hasData = false;

	private eventName: string | undefined;

	private eventId: string | undefined;

	constructor(private readonly onEvent: (event: SseEvent) => void) {}

	feed(chunk: Uint8Array | string): void {
		let text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
		// Text handed over already decoded still carries its BOM; bytes lost theirs in the decoder.
		if (this.atStart && typeof chunk === 'string' && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
		// An empty read (or the first bytes of a split character) must not end the wait for a CR's LF.
		if (text.length === 0) return;
		this.atStart = false;
		if (this.pendingCarriageReturn && text.startsWith('\n')) text = text.slice(1);
		this.pendingCarriageReturn = false;
		this.buffer += text;

		let start = 0;
		for (let i = 0; i < this.buffer.length; i++) {
			const ch = this.buffer.charCodeAt(i);
			if (ch !== 10 && ch !== 13) continue;
			this.processLine(this.buffer.slice(start, i));
			if (ch === 13) {
				if (i + 1 === this.buffer.length) this.pendingCarriageReturn = true;
				else if (this.buffer.charCodeAt(i + 1) === 10) i++;
			}
			start = i + 1;
		}
		this.buffer = this.buffer.slice(start);
	}

	private processLine(line: string): void {
		if (line === '') {
			this.dispatch();
			return;
		}
		if (line.charCodeAt(0) === 58 /* : */) return;
		const colon = line.indexOf(':');
		const field = colon === -1 ? line : line.slice(0, colon);
		let value = colon === -1 ? '' : line.slice(colon + 1);
		if (value.charCodeAt(0) === 32) value = value.slice(1);
		switch (field) {
			case 'data':
				this.data.push(value);
				this.hasData = true;
				break;
			case 'event':
				this.eventName = value;
				break;
			case 'id':
				if (!value.includes('\0')) this.eventId = value;
				break;
			default:
				// `retry` and unknown fields carry nothing a one-shot reader needs.
				break;
		}
	}

	private dispatch(): void {
		if (this.hasData) {
			this.onEvent({ event: this.eventName || undefined, data: this.data.join('\n'), id: this.eventId });
		}
		this.data = [];
		this.hasData = false;
		this.eventName = undefined;
		// Per event, as eventsource-parser reports it: a one-shot reader never reconnects with Last-Event-ID.
		this.eventId = undefined;
	}
}

/** Yields each event of a byte stream as soon as its blank line arrives. */
export async function* readSseEvents(stream: AsyncIterable<Uint8Array | string>): AsyncGenerator<SseEvent> {
	const queue: SseEvent[] = [];
	const parser = new SseParser((event) => queue.push(event));
	for await (const chunk of stream) {
		parser.feed(chunk);
		while (queue.length > 0) yield queue.shift()!;
	}
}
