/**
 * A JSON parser that reads UTF-8 bytes and builds only the values it returns: no decoded copy of
 * the text and, with `mapObject`, no parsed copy of each element either. It exists for memory
 * (see JsonArrayFieldReader): JSON.parse needs the whole text decoded into a string first, which
 * for CJK text costs more than the bytes themselves, before it builds anything.
 *
 * It returns undefined for anything it does not accept, and callers then fall back to JSON.parse
 * on the same bytes, so JSON.parse stays the judge of what is valid and of its error message.
 */

export const QUOTE = 0x22;
export const BACKSLASH = 0x5c;
export const COMMA = 0x2c;
const COLON = 0x3a;
export const OPEN_OBJECT = 0x7b;
export const CLOSE_OBJECT = 0x7d;
export const OPEN_ARRAY = 0x5b;
export const CLOSE_ARRAY = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** Exact in a double, so a short decimal divided or multiplied by one is correctly rounded (Clinger's fast path). */
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/** Keys and short values repeat in every element (`role`, `agent`…): one shared string each, not one per element. */
const SHORT = 16;
const SLOTS = 512;

class ShortStrings {
	private readonly texts: Array<string | undefined> = new Array(SLOTS);

	private readonly bytes: Array<Buffer | undefined> = new Array(SLOTS);

	get(b: Buffer, start: number, end: number, hash: number): string {
		const slot = hash & (SLOTS - 1);
		const known = this.bytes[slot];
		if (known !== undefined && known.length === end - start) {
			let same = true;
			for (let i = 0; i < known.length; i++) {
				if (known[i] !== b[start + i]) {
					same = false;
					break;
				}
			}
			if (same) return this.texts[slot] as string;
		}
		const text = b.toString('latin1', start, end);
		this.bytes[slot] = Buffer.from(b.subarray(start, end));
		this.texts[slot] = text;
		return text;
	}
}

class Invalid extends Error {}

const EMPTY = Buffer.alloc(0);

/** Thrown on anything not accepted; never escapes this module. */
const INVALID = new Invalid('invalid');

/** Builds an element object from its members in file order; the arrays are reused, copy what you keep. */
export type ObjectMapper = (keys: string[], values: unknown[], count: number) => unknown;

type WithUtf8Slice = Buffer & { utf8Slice?: (start: number, end: number) => string };

/**
 * Buffer#utf8Slice where Node has it (every current version): Buffer#toString reads `arguments`,
 * and until it is optimised every call allocates an arguments object, as much again as a short text.
 */
function utf8(b: Buffer, start: number, end: number): string {
	const buffer = b as WithUtf8Slice;
	return typeof buffer.utf8Slice === 'function' ? buffer.utf8Slice(start, end) : b.toString('utf8', start, end);
}

export function isBlankByte(byte: number): boolean {
	return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

export class JsonBytesParser {
	private b: Buffer = EMPTY;

	private pos = 0;

	private end = 0;

	private readonly short = new ShortStrings();

	private readonly keys: string[] = [];

	private readonly values: unknown[] = [];

	/**
	 * Hands each of the comma-separated values in `bytes` (a list's inside, without its brackets)
	 * to `take` as soon as it is built, objects through `mapObject` when given. Returns how many
	 * it handed over and whether all of `bytes` was valid JSON as far as this parser can tell;
	 * when not, the caller asks JSON.parse and skips the ones already handed over.
	 */
	parseList(bytes: Buffer, take: (value: unknown) => void, mapObject?: ObjectMapper): { handed: number; complete: boolean } {
		this.b = bytes;
		this.pos = 0;
		this.end = bytes.length;
		let handed = 0;
		try {
			this.blank();
			if (this.pos === this.end) return { handed, complete: true };
			for (;;) {
				this.blank();
				const value = mapObject && this.b[this.pos] === OPEN_OBJECT ? this.mappedObject(mapObject) : this.value();
				this.blank();
				const last = this.pos === this.end;
				if (!last && this.b[this.pos] !== COMMA) return { handed, complete: false };
				take(value);
				handed++;
				if (last) return { handed, complete: true };
				this.pos++;
			}
		} catch {
			// Invalid input, a bad escape, nesting deeper than the stack: JSON.parse decides.
			return { handed, complete: false };
		} finally {
			this.b = EMPTY;
			this.keys.length = 0;
			this.values.length = 0;
		}
	}

	private blank(): void {
		while (this.pos < this.end && isBlankByte(this.b[this.pos])) this.pos++;
	}

	private value(): unknown {
		if (this.pos >= this.end) throw INVALID;
		const byte = this.b[this.pos];
		if (byte === QUOTE) return this.string();
		if (byte === OPEN_OBJECT) return this.object();
		if (byte === OPEN_ARRAY) return this.array();
		if (byte === MINUS || (byte >= ZERO && byte <= NINE)) return this.number();
		if (this.word('true')) return true;
		if (this.word('false')) return false;
		if (this.word('null')) return null;
		throw INVALID;
	}

	private word(text: string): boolean {
		if (this.pos + text.length > this.end) return false;
		for (let i = 0; i < text.length; i++) if (this.b[this.pos + i] !== text.charCodeAt(i)) return false;
		this.pos += text.length;
		return true;
	}

	private string(): string {
		const b = this.b;
		const start = this.pos + 1;
		let hash = 0;
		let high = 0;
		let escaped = false;
		let i = start;
		for (;;) {
			if (i >= this.end) throw INVALID;
			const byte = b[i];
			if (byte === QUOTE) break;
			if (byte < 0x20) throw INVALID;
			if (byte === BACKSLASH) {
				escaped = true;
				i += 2;
				continue;
			}
			high |= byte;
			// Kept small: a result outside the small-integer range costs a heap number per byte in code not yet optimized.
			hash = (hash * 31 + byte) & 0xfffff;
			i++;
		}
		this.pos = i + 1;
		// Escapes are rare in logs: JSON.parse reads the one string that has them.
		if (escaped) return JSON.parse(b.toString('utf8', start - 1, i + 1)) as string;
		if (high < 0x80 && i - start <= SHORT) return this.short.get(b, start, i, hash);
		return utf8(b, start, i);
	}

	private number(): number {
		const b = this.b;
		const start = this.pos;
		let i = start;
		const negative = b[i] === MINUS;
		if (negative) i++;
		let mantissa = 0;
		let digits = 0;
		if (b[i] === ZERO) {
			i++;
			if (b[i] >= ZERO && b[i] <= NINE) throw INVALID;
		} else if (b[i] >= ZERO && b[i] <= NINE) {
			while (i < this.end && b[i] >= ZERO && b[i] <= NINE) {
				mantissa = mantissa * 10 + (b[i] - ZERO);
				digits++;
				i++;
			}
		} else {
			throw INVALID;
		}
		let fraction = 0;
		if (b[i] === DOT) {
			i++;
			const from = i;
			while (i < this.end && b[i] >= ZERO && b[i] <= NINE) {
				mantissa = mantissa * 10 + (b[i] - ZERO);
				i++;
			}
			fraction = i - from;
			if (fraction === 0) throw INVALID;
			digits += fraction;
		}
		let exponent = 0;
		if (b[i] === 0x65 || b[i] === 0x45) {
			i++;
			let sign = 1;
			if (b[i] === PLUS || b[i] === MINUS) {
				if (b[i] === MINUS) sign = -1;
				i++;
			}
			const from = i;
			while (i < this.end && b[i] >= ZERO && b[i] <= NINE) {
				if (exponent < 1e6) exponent = exponent * 10 + (b[i] - ZERO);
				i++;
			}
			if (i === from) throw INVALID;
			exponent *= sign;
		}
		this.pos = i;
		const scale = fraction - exponent;
		// An integer stays a small integer (no heap number per id), except -0.
		if (scale === 0 && digits <= 9) return negative ? (mantissa === 0 ? -0 : -mantissa) : mantissa;
		if (digits <= 15 && scale >= -22 && scale <= 22) {
			const magnitude = scale >= 0 ? mantissa / POWERS_OF_TEN[scale] : mantissa * POWERS_OF_TEN[-scale];
			return negative ? -magnitude : magnitude;
		}
		return Number(b.toString('latin1', start, i));
	}

	private object(): Record<string, unknown> {
		const object: Record<string, unknown> = {};
		if (this.openMembers()) return object;
		for (;;) {
			const key = this.key();
			const value = this.value();
			// As JSON.parse: "__proto__" is an own field, not the prototype.
			if (key === '__proto__') Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
			else object[key] = value;
			if (this.closeMember()) return object;
		}
	}

	/** An element object as its members, for the mapper; no object is built here. */
	private mappedObject(mapObject: ObjectMapper): unknown {
		const { keys, values } = this;
		let count = 0;
		if (!this.openMembers()) {
			for (;;) {
				keys[count] = this.key();
				values[count] = this.value();
				count++;
				if (this.closeMember()) break;
			}
		}
		const mapped = mapObject(keys, values, count);
		for (let i = 0; i < count; i++) values[i] = undefined;
		return mapped;
	}

	/** Past `{`; true when the object is empty (and closed). */
	private openMembers(): boolean {
		this.pos++;
		this.blank();
		if (this.b[this.pos] !== CLOSE_OBJECT) return false;
		this.pos++;
		return true;
	}

	/** A member's key and its colon. */
	private key(): string {
		this.blank();
		if (this.b[this.pos] !== QUOTE) throw INVALID;
		const key = this.string();
		this.blank();
		if (this.b[this.pos] !== COLON) throw INVALID;
		this.pos++;
		this.blank();
		return key;
	}

	/** After a member's value: true at `}`, false at `,`. */
	private closeMember(): boolean {
		this.blank();
		const byte = this.b[this.pos];
		this.pos++;
		if (byte === CLOSE_OBJECT) return true;
		if (byte !== COMMA) throw INVALID;
		return false;
	}

	private array(): unknown[] {
		const list: unknown[] = [];
		this.pos++;
		this.blank();
		if (this.b[this.pos] === CLOSE_ARRAY) {
			this.pos++;
			return list;
		}
		for (;;) {
			this.blank();
			list.push(this.value());
			this.blank();
			const byte = this.b[this.pos];
			this.pos++;
			if (byte === CLOSE_ARRAY) return list;
			if (byte !== COMMA) throw INVALID;
		}
	}
}
