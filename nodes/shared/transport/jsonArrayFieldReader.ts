import type { IDataObject } from 'n8n-workflow';

import {
	BACKSLASH,
	CLOSE_ARRAY,
	CLOSE_OBJECT,
	COMMA,
	isBlankByte,
	JsonBytesParser,
	OPEN_ARRAY,
	OPEN_OBJECT,
	QUOTE,
	type ObjectMapper,
} from './jsonBytes';

/** Elements are parsed in batches of about this many bytes: few calls per log, and a batch's bytes are all that is held. */
const BATCH_BYTES = 64 * 1024;

const LIST_START = Buffer.from('[');
const LIST_END = Buffer.from(']');

export class JsonStreamError extends Error {}

type Mode = 'start' | 'member' | 'array' | 'done';

function isBlank(bytes: Buffer): boolean {
	for (const byte of bytes) if (!isBlankByte(byte)) return false;
	return true;
}

/** JSON.parse whose failure is a JsonStreamError, so callers can tell bad input from their own faults. */
function parse<T>(text: string): T {
	let message = '';
	try {
		return JSON.parse(text) as T;
	} catch (error) {
		message = (error as Error).message;
	}
	throw new JsonStreamError(message);
}

function join(parts: Buffer[]): Buffer {
	return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/**
 * Reads a JSON object that arrives in chunks and hands the elements of one array field (a call
 * log's `dialog`) to `onElement` one by one, as soon as their batch of bytes is complete (no
 * array per batch: refilling a reused one would grow its store anew each time). So neither the
 * whole text nor the whole parsed array is ever held: a caller that maps each element and drops
 * it keeps only what it maps. The other fields are parsed whole and returned by `end()`.
 *
 * Only structure is scanned here (strings, nesting, the separators at the two top levels). A
 * batch's elements are built straight from its bytes (JsonBytesParser): no decoded text and, with
 * `mapObject`, no parsed copy of each element object, only what the mapper builds. Whatever that
 * parser does not accept goes to JSON.parse, so malformed input is refused as JSON.parse refuses it.
 * Structural bytes are ASCII and never occur inside a UTF-8 sequence, so chunks may split characters.
 */
export class JsonArrayFieldReader {
	private mode: Mode = 'start';

	private depth = 0;

	private inString = false;

	private escapeNext = false;

	/** Bytes of the current top-level member (`"key": value`) or of the current batch of elements. */
	private parts: Buffer[] = [];

	private partsBytes = 0;

	private readonly fields: IDataObject = {};

	private sawField = false;

	/** Between the streamed list's `]` and the next separator, where only blanks may follow. */
	private afterField = false;

	/** Whether a member (or the streamed list) came before: `{}` is the only place for an empty member. */
	private anyMember = false;

	/** The list had a comma right before the current batch: that batch may not be empty. */
	private afterComma = false;

	private readonly parser = new JsonBytesParser();

	/** Bytes of the list's elements parsed so far (whole batches): with the elements handed over, the bytes per element. */
	elementBytes = 0;

	/**
	 * @param mapObject Builds each element that is an object from its members in file order
	 * (a repeated key comes twice: the later one counts, as in JSON.parse); `onElement` then
	 * gets what it built. Other elements are handed over as parsed.
	 */
	constructor(
		private readonly field: string,
		private readonly onElement: (element: unknown) => void,
		private readonly mapObject?: ObjectMapper,
	) {}

	push(chunk: Buffer): void {
		const n = chunk.length;
		let i = 0;
		// Where the bytes kept for the current member or batch start in this chunk.
		let start = 0;
		let backslash = -1;
		while (i < n) {
			if (this.inString) {
				if (this.escapeNext) {
					this.escapeNext = false;
					i++;
					continue;
				}
				const quote = chunk.indexOf(QUOTE, i);
				if (backslash < i) {
					backslash = chunk.indexOf(BACKSLASH, i);
					if (backslash === -1) backslash = n;
				}
				if (backslash < (quote === -1 ? n : quote)) {
					// Skip the escaped byte; at the chunk's end it is the next chunk's first.
					i = backslash + 2;
					if (i > n) this.escapeNext = true;
					continue;
				}
				if (quote === -1) {
					i = n;
					break;
				}
				this.inString = false;
				i = quote + 1;
				continue;
			}
			const byte = chunk[i];
			switch (this.mode) {
				case 'start':
					if (byte === OPEN_OBJECT) {
						this.mode = 'member';
						this.depth = 1;
						start = i + 1;
					} else if (!isBlank(chunk.subarray(i, i + 1))) {
						throw new JsonStreamError('the file is not a JSON object');
					}
					break;
				case 'done':
					if (!isBlank(chunk.subarray(i, i + 1))) throw new JsonStreamError('unexpected text after the end of the JSON object');
					break;
				case 'member':
					if (byte === QUOTE) this.inString = true;
					else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
						this.depth++;
						if (this.depth === 2 && byte === OPEN_ARRAY && this.memberKey(chunk.subarray(start, i)) === this.field) {
							this.mode = 'array';
							this.sawField = true;
							this.anyMember = true;
							this.reset();
							start = i + 1;
						}
					} else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
						this.depth--;
						if (this.depth === 0) {
							if (byte !== CLOSE_OBJECT) throw new JsonStreamError('"]" closes the JSON object');
							this.endMember(chunk.subarray(start, i), true);
							this.mode = 'done';
						}
					} else if (byte === COMMA && this.depth === 1) {
						this.endMember(chunk.subarray(start, i), false);
						start = i + 1;
					}
					break;
				case 'array':
					if (byte === QUOTE) this.inString = true;
					else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) this.depth++;
					else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
						this.depth--;
						if (this.depth === 1) {
							if (byte !== CLOSE_ARRAY) throw new JsonStreamError(`"}" closes the "${this.field}" list`);
							this.flushBatch(chunk.subarray(start, i), false);
							this.afterComma = false;
							this.mode = 'member';
							this.afterField = true;
							start = i + 1;
						}
					} else if (byte === COMMA && this.depth === 2 && this.partsBytes + (i - start) >= BATCH_BYTES) {
						this.flushBatch(chunk.subarray(start, i), true);
						start = i + 1;
					}
					break;
			}
			i++;
		}
		if ((this.mode === 'member' || this.mode === 'array') && start < n) {
			this.parts.push(chunk.subarray(start, n));
			this.partsBytes += n - start;
		}
	}

	/** The fields other than the streamed one; fails on a truncated object. */
	end(): { fields: IDataObject; sawField: boolean } {
		if (this.mode !== 'done') {
			throw new JsonStreamError(this.mode === 'start' ? 'the file is empty' : 'the JSON ends too early (the file is truncated)');
		}
		return { fields: this.fields, sawField: this.sawField };
	}

	private reset(): void {
		this.parts = [];
		this.partsBytes = 0;
	}

	private take(tail: Buffer): Buffer {
		this.parts.push(tail);
		const bytes = join(this.parts);
		this.reset();
		return bytes;
	}

	/** `"key" :` before a list; anything else (a key still being read, odd spacing) is compared as written. */
	private memberKey(tail: Buffer): string | undefined {
		const text = join([...this.parts, tail]).toString('utf8').trim();
		if (!text.endsWith(':')) return undefined;
		try {
			const key: unknown = JSON.parse(text.slice(0, -1));
			return typeof key === 'string' ? key : undefined;
		} catch {
			return undefined;
		}
	}

	private endMember(tail: Buffer, closing: boolean): void {
		const bytes = this.take(tail);
		const afterField = this.afterField;
		this.afterField = false;
		if (isBlank(bytes)) {
			if (afterField || (closing && !this.anyMember)) return;
			throw new JsonStreamError(closing ? 'a comma before "}"' : 'an empty member before ","');
		}
		if (afterField) throw new JsonStreamError(`unexpected text after the "${this.field}" list`);
		this.anyMember = true;
		// defineProperty: a "__proto__" key in the file stays a plain field, as JSON.parse keeps it.
		for (const [key, value] of Object.entries(parse<IDataObject>(`{${bytes.toString('utf8')}}`))) {
			Object.defineProperty(this.fields, key, { value, enumerable: true, writable: true, configurable: true });
		}
	}

	private flushBatch(tail: Buffer, atComma: boolean): void {
		const bytes = this.take(tail);
		const afterComma = this.afterComma;
		this.afterComma = atComma;
		if (isBlank(bytes)) {
			if (afterComma || atComma) throw new JsonStreamError(`a comma without a value in the "${this.field}" list`);
			return;
		}
		this.elementBytes += bytes.length;
		const { handed, complete } = this.parser.parseList(bytes, this.onElement, this.mapObject);
		if (complete) return;
		// JSON.parse reads the same list in the same order: its first `handed` elements are those already handed over.
		// If it refuses the batch, the whole read fails, so what was handed over is never used.
		for (const element of this.parseWithJson(bytes, handed)) this.onElement(element);
	}

	/** What JsonBytesParser did not accept: JSON.parse's answer from element `skip` on, or its error. */
	private parseWithJson(bytes: Buffer, skip: number): unknown[] {
		// Brackets added as bytes, not by string concatenation: one decoded copy of the batch, not two.
		const elements = parse<unknown[]>(Buffer.concat([LIST_START, bytes, LIST_END]).toString('utf8')).slice(skip);
		const mapObject = this.mapObject;
		if (!mapObject) return elements;
		return elements.map((element) => {
			if (!element || typeof element !== 'object' || Array.isArray(element)) return element;
			const keys = Object.keys(element);
			return mapObject(keys, Object.values(element), keys.length);
		});
	}
}
