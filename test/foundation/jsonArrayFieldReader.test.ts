import fc from 'fast-check';

import { sentenceFromIceLogEntry, sentenceFromIceLogMembers } from '../../nodes/shared/conversation/fromIce';
import { JsonArrayFieldReader, JsonStreamError } from '../../nodes/shared/transport/jsonArrayFieldReader';
import type { ObjectMapper } from '../../nodes/shared/transport/jsonBytes';

interface ReadResult {
	fields: Record<string, unknown>;
	elements: unknown[];
	sawField: boolean;
}

/** Feeds `bytes` to a reader in pieces cut at the given offsets (anywhere: inside UTF-8 characters and escapes too). */
function read(bytes: Buffer, cuts: number[], field = 'dialog', mapObject?: ObjectMapper): ReadResult {
	const elements: unknown[] = [];
	const reader = new JsonArrayFieldReader(field, (element) => elements.push(element), mapObject);
	const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
	let from = 0;
	for (const point of [...points, bytes.length]) {
		if (point > from) reader.push(bytes.subarray(from, point));
		from = Math.max(from, point);
	}
	const { fields, sawField } = reader.end();
	return { fields: fields as Record<string, unknown>, elements, sawField };
}

function rejects(bytes: Buffer, cuts: number[]): boolean {
	try {
		read(bytes, cuts);
		return false;
	} catch (error) {
		if (!(error instanceof JsonStreamError)) throw error;
		return true;
	}
}

/** Text with what makes JSON scanning hard: quotes, backslashes, brackets and commas inside strings, CJK, emoji, controls. */
const trickyString = fc.oneof(
	fc.string({ unit: fc.constantFrom('"', '\\', '[', ']', '{', '}', ',', ':', 'a', '好', '😀', '\n', '\u0000', ' ') }),
	fc.string({ unit: 'grapheme' }),
);

const jsonValue = fc.letrec((tie) => ({
	value: fc.oneof(
		{ depthSize: 'small' },
		trickyString,
		fc.double({ noNaN: true, noDefaultInfinity: true }),
		fc.integer(),
		fc.boolean(),
		fc.constant(null),
		fc.array(tie('value'), { maxLength: 4 }),
		fc.dictionary(trickyString, tie('value'), { maxKeys: 4 }),
	),
})).value;

const sentence = fc.record({
	id: fc.integer({ min: 1 }),
	begin: fc.double({ min: 0, max: 1e5, noNaN: true }),
	role: fc.constantFrom('agent', 'user', 'system'),
	type: fc.constantFrom('greeting', 'normal'),
	text: trickyString,
	extra: fc.option(jsonValue, { nil: undefined }),
});

const callLog = fc.record({
	header: fc.dictionary(trickyString.filter((key) => key !== 'dialog'), jsonValue, { maxKeys: 5 }),
	dialog: fc.array(fc.oneof(sentence, jsonValue), { maxLength: 30 }),
	/** Where `dialog` sits among the other fields. */
	position: fc.nat(),
	indent: fc.constantFrom(undefined, 0, 1, '\t', ' \r\n '),
});

function serialize(log: { header: Record<string, unknown>; dialog: unknown[]; position: number; indent?: string | number }) {
	const entries = Object.entries(log.header);
	entries.splice(log.position % (entries.length + 1), 0, ['dialog', log.dialog]);
	const object: Record<string, unknown> = {};
	for (const [key, value] of entries) Object.defineProperty(object, key, { value, enumerable: true });
	return Buffer.from(JSON.stringify(object, null, log.indent), 'utf8');
}

describe('JsonArrayFieldReader: streamed call-log parsing', () => {
	it('gives what JSON.parse gives, however the bytes are cut into chunks', () => {
		fc.assert(
			fc.property(callLog, fc.array(fc.nat(), { maxLength: 40 }), (log, cuts) => {
				const bytes = serialize(log);
				const expected = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
				const { dialog, ...header } = expected;
				const result = read(bytes, cuts);
				expect(result.sawField).toBe(true);
				expect(result.elements).toEqual(dialog);
				expect(result.fields).toEqual(header);
			}),
			{ numRuns: 400 },
		);
	});

	it('maps each element object from its members as JSON.parse + sentenceFromIceLogEntry would, however the bytes are cut', () => {
		fc.assert(
			fc.property(callLog, fc.array(fc.nat(), { maxLength: 40 }), (log, cuts) => {
				const bytes = serialize(log);
				const { dialog } = JSON.parse(bytes.toString('utf8')) as { dialog: unknown[] };
				const isObject = (value: unknown) => !!value && typeof value === 'object' && !Array.isArray(value);
				const expected = dialog.map((entry) => (isObject(entry) ? sentenceFromIceLogEntry(entry as never) : entry));
				expect(read(bytes, cuts, 'dialog', sentenceFromIceLogMembers).elements).toEqual(expected);
			}),
			{ numRuns: 300 },
		);
	});

	it('a repeated key in an entry counts with its later value, as in JSON.parse', () => {
		const text = '{"dialog":[{"role":"user","text":"a","role":"agent","begin":1,"begin":2.5,"id":3,"type":"normal"}]}';
		const expected = (JSON.parse(text) as { dialog: never[] }).dialog.map(sentenceFromIceLogEntry);
		expect(expected[0]).toMatchObject({ role: 'agent', begin: 2.5 });
		expect(read(Buffer.from(text), [], 'dialog', sentenceFromIceLogMembers).elements).toEqual(expected);
	});

	it('reads numbers and escapes exactly as JSON.parse does, long lists split into many batches included', () => {
		const numberText = fc.oneof(
			fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => JSON.stringify(n)),
			fc.integer().map(String),
			fc.tuple(
				fc.constantFrom('', '-'),
				fc.stringMatching(/^(0|[1-9][0-9]{0,20})$/),
				fc.option(fc.stringMatching(/^[0-9]{1,20}$/), { nil: undefined }),
				fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.stringMatching(/^[0-9]{1,3}$/)), { nil: undefined }),
			).map(([sign, int, frac, exp]) => `${sign}${int}${frac === undefined ? '' : `.${frac}`}${exp ? exp.join('') : ''}`),
		);
		const escaped = fc.string({ unit: fc.constantFrom('a', '好', '\\"', '\\\\', '\\n', '\\u0041', '\\ud83d\\ude00', '/', '\\/') });
		fc.assert(
			fc.property(fc.array(fc.tuple(numberText, escaped), { minLength: 1, maxLength: 3000 }), (pairs) => {
				const text = `{"dialog":[${pairs.map(([n, s]) => `{"begin":${n},"text":"${s}","n":[${n}]}`).join(',')}]}`;
				const bytes = Buffer.from(text, 'utf8');
				const { dialog } = JSON.parse(text) as { dialog: unknown[] };
				expect(Object.is((read(bytes, [7, 70000]).elements[0] as { begin: number }).begin, (dialog[0] as { begin: number }).begin)).toBe(true);
				expect(read(bytes, [7, 70000]).elements).toEqual(dialog);
			}),
			{ numRuns: 60 },
		);
	});

	it('refuses every truncated file, wherever it is cut', () => {
		fc.assert(
			fc.property(callLog, fc.nat(), fc.array(fc.nat(), { maxLength: 10 }), (log, at, cuts) => {
				const bytes = serialize(log);
				const end = bytes.toString('utf8').trimEnd().length;
				const cut = at % Buffer.byteLength(bytes.toString('utf8').slice(0, end));
				expect(rejects(bytes.subarray(0, cut), cuts)).toBe(true);
			}),
			{ numRuns: 300 },
		);
	});

	it('refuses what JSON.parse refuses after one byte is changed, and agrees with it otherwise', () => {
		const structural = fc.constantFrom(...'{}[],:"\\ 0x'.split('').map((c) => c.charCodeAt(0)));
		fc.assert(
			fc.property(callLog, fc.nat(), structural, fc.array(fc.nat(), { maxLength: 10 }), (log, at, byte, cuts) => {
				const bytes = Buffer.from(serialize(log));
				bytes[at % bytes.length] = byte;
				let expected: unknown;
				try {
					expected = JSON.parse(bytes.toString('utf8'));
				} catch {
					expect(rejects(bytes, cuts)).toBe(true);
					return;
				}
				if (!expected || typeof expected !== 'object' || Array.isArray(expected)) {
					expect(rejects(bytes, cuts)).toBe(true);
					return;
				}
				const { dialog, ...header } = expected as Record<string, unknown>;
				const result = read(bytes, cuts);
				expect(result.fields).toEqual(header);
				if (Array.isArray(dialog)) expect(result.elements).toEqual(dialog);
				else expect(result.sawField).toBe(false);
			}),
			{ numRuns: 600 },
		);
	});

	it('hands a long list over in batches while it arrives, not at the end', () => {
		const dialog = Array.from({ length: 5000 }, (_, i) => ({ id: i, text: `第${i}句，带"引号"和\\反斜杠` }));
		const bytes = Buffer.from(JSON.stringify({ instanceid: 'x', dialog, startTime: 1 }));
		let handed = 0;
		const handedAfterChunk: number[] = [];
		const reader = new JsonArrayFieldReader('dialog', () => handed++);
		for (let from = 0; from < bytes.length; from += 16 * 1024) {
			reader.push(bytes.subarray(from, from + 16 * 1024));
			handedAfterChunk.push(handed);
			if (from > bytes.length / 2) break;
		}
		// Half the file has arrived: most of its first half of sentences is already handed over, in more than one go.
		expect(new Set(handedAfterChunk.filter((n) => n > 0)).size).toBeGreaterThan(1);
		expect(handed).toBeGreaterThan(dialog.length / 3);
		expect(handed).toBeLessThan(dialog.length);
	});

	it.each([
		['an empty file', ''],
		['a list', '[{"dialog":[]}]'],
		['a string', '"dialog"'],
		['text after the object', '{"dialog":[]} x'],
		['a list closed by "}"', '{"dialog":[1}}'],
		['an object closed by "]"', '{"dialog":[1]]'],
		['a trailing comma', '{"dialog":[1,]}'],
		['a missing comma after the list', '{"dialog":[1] "a":1}'],
	])('refuses %s', (_label, text) => {
		expect(rejects(Buffer.from(text), [])).toBe(true);
	});

	it('reports a file without the list, so the caller can say it is not a call log', () => {
		expect(read(Buffer.from('{"instanceid":"x","dialogue":[1]}'), [3, 20])).toEqual({
			fields: { instanceid: 'x', dialogue: [1] },
			elements: [],
			sawField: false,
		});
	});
});
