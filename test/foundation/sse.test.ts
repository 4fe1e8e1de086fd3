import { createHash, randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';

import { createParser, type EventSourceMessage } from 'eventsource-parser';
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { readSseEvents, SseParser, type SseEvent } from '../../nodes/shared/transport';
import { EMULATOR_KEYS, type Emulator, FIXTURES, startEmulator } from '../emulator';
import { callSigned } from '../emulator/signed-client';
import { emulatorCredentials } from '../helpers/credentials';
import { runNode } from '../helpers/engine';
import { PROBE_NODE_TYPE, type ProbeItem } from './probe/alibabaProbe';

/**
 * The package's SSE reader against eventsource-parser (v3) as the oracle. The oracle gets the
 * whole stream decoded at once (TextDecoder, which drops one leading BOM as the EventSource
 * spec's UTF-8 decode does); the reader gets the same bytes in random chunks.
 */

const normalize = (e: { event?: string; data: string; id?: string }) => ({
	event: e.event ?? undefined,
	data: e.data,
	id: e.id ?? undefined,
});

function oracleEvents(bytes: Uint8Array): SseEvent[] {
	const events: SseEvent[] = [];
	const parser = createParser({ onEvent: (e: EventSourceMessage) => events.push(normalize(e)) });
	const text = new TextDecoder('utf-8').decode(bytes);
	// A streaming parser holds back a trailing CR in case an LF follows; it is never told the stream
	// ended. At the end a lone CR is a complete line end, and CR LF means the same, so say so.
	parser.feed(text.endsWith('\r') ? `${text}\n` : text);
	return events;
}

function readerEvents(chunks: Uint8Array[]): SseEvent[] {
	const events: SseEvent[] = [];
	const parser = new SseParser((e) => events.push(normalize(e)));
	for (const chunk of chunks) parser.feed(chunk);
	return events;
}

function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
	// Repeated cut points give empty chunks on purpose.
	const points = cuts.map((c) => Math.min(c, bytes.length)).sort((a, b) => a - b);
	const chunks: Uint8Array[] = [];
	let start = 0;
	for (const point of points) {
		chunks.push(bytes.subarray(start, point));
		start = point;
	}
	chunks.push(bytes.subarray(start));
	return chunks;
}

// ---- stream generator ----------------------------------------------------------------------

const textPiece = fc.oneof(
	{ weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
	{ weight: 2, arbitrary: fc.constantFrom('😀', '𝄞', '👩‍👩‍👧', '中文', 'é', ':', ': ', ' ', '  x', '\u2028', '\u0085', '\ufeff', '\0', 'data:', 'id: 7') },
);
/** Field values never hold a line break: that is what ends a line. */
const value = fc.array(textPiece, { maxLength: 5 }).map((parts) => parts.join('').replace(/[\r\n]/g, ''));
const lineEnd = fc.constantFrom('\n', '\r\n', '\r');
const colon = fc.constantFrom(':', ': ', ':  ');

const line = fc.oneof(
	{ weight: 5, arbitrary: fc.tuple(colon, value).map(([c, v]) => `data${c}${v}`) },
	{ weight: 1, arbitrary: fc.constant('data') },
	{ weight: 2, arbitrary: fc.tuple(colon, value).map(([c, v]) => `event${c}${v}`) },
	{ weight: 1, arbitrary: fc.constant('event') },
	{ weight: 2, arbitrary: fc.tuple(colon, value).map(([c, v]) => `id${c}${v}`) },
	{ weight: 1, arbitrary: fc.constant('id') },
	{ weight: 2, arbitrary: value.map((v) => `:${v}`) },
	{ weight: 1, arbitrary: fc.tuple(colon, fc.oneof(fc.nat(99999).map(String), value)).map(([c, v]) => `retry${c}${v}`) },
	{ weight: 1, arbitrary: fc.tuple(fc.constantFrom('foo', 'Data', 'data ', ' data', 'eventx'), colon, value).map(([f, c, v]) => `${f}${c}${v}`) },
);
const block = fc.tuple(fc.array(fc.tuple(line, lineEnd), { maxLength: 5 }), lineEnd).map(
	([lines, end]) => lines.map(([l, e]) => l + e).join('') + end,
);
const stream = fc
	.record({
		boms: fc.integer({ min: 0, max: 2 }),
		blocks: fc.array(block, { maxLength: 8 }),
		// An event cut off by the end of the stream (no blank line) must not be emitted.
		tail: fc.option(fc.tuple(line, fc.option(lineEnd, { nil: '' })).map(([l, e]) => l + e), { nil: '' }),
	})
	.map(({ boms, blocks, tail }) => Buffer.from('\ufeff'.repeat(boms) + blocks.join('') + tail, 'utf8'));

// ---------------------------------------------------------------------------------------------

describe('SseParser against eventsource-parser', () => {
	it('gives the oracle\'s events for random streams fed in random byte chunks', () => {
		fc.assert(
			fc.property(stream, fc.array(fc.nat(4000), { maxLength: 30 }), (bytes, cuts) => {
				const expected = oracleEvents(bytes);
				expect(readerEvents(split(bytes, cuts.map((c) => c % (bytes.length + 1))))).toEqual(expected);
			}),
			{ numRuns: 700 },
		);
	});

	it('gives the same events fed byte by byte (every UTF-8 sequence and every CRLF split)', () => {
		fc.assert(
			fc.property(stream, (bytes) => {
				const chunks = Array.from(bytes, (_, i) => bytes.subarray(i, i + 1));
				expect(readerEvents(chunks)).toEqual(oracleEvents(bytes));
			}),
			{ numRuns: 200 },
		);
	});

	it('is not confused by an empty chunk between a CR and its LF', () => {
		const bytes = Buffer.from('data:a\r\ndata:b\r\n\r\n');
		const cr = bytes.indexOf(0x0d) + 1;
		// CR LF is one line end even with nothing (an empty read) in between.
		const chunks = split(bytes, [cr, cr]);
		expect(chunks[1]).toHaveLength(0);
		expect(readerEvents(chunks)).toEqual([{ data: 'a\nb', event: undefined, id: undefined }]);
		expect(readerEvents(chunks)).toEqual(oracleEvents(bytes));
	});

	it('delivers an event ended by a lone CR without waiting for more bytes', () => {
		expect(readerEvents([Buffer.from('data:now\r\r')])).toEqual([{ data: 'now', event: undefined, id: undefined }]);
	});

	it('strips exactly one leading BOM, as a UTF-8 decode does', () => {
		const bytes = Buffer.from('\ufeff\ufeffdata:x\n\ndata:y\n\n', 'utf8');
		// The second BOM is part of the first line's field name, so that line is an unknown field.
		expect(oracleEvents(bytes)).toEqual([{ data: 'y', event: undefined, id: undefined }]);
		expect(readerEvents(split(bytes, [1, 2, 4]))).toEqual(oracleEvents(bytes));
	});

	it('reports each event\'s own id (not one carried over from an earlier event)', () => {
		const bytes = Buffer.from('id:1\ndata:a\n\ndata:b\n\nid\ndata:c\n\n');
		expect(readerEvents([bytes])).toEqual([
			{ id: '1', data: 'a', event: undefined },
			{ id: undefined, data: 'b', event: undefined },
			{ id: '', data: 'c', event: undefined },
		]);
		expect(readerEvents([bytes])).toEqual(oracleEvents(bytes));
	});

	it('readSseEvents yields the parser\'s events from a byte stream as they complete', async () => {
		const bytes = Buffer.from('event:start\ndata:{"a":1}\n\n: keep-alive\n\ndata:line 1\ndata:line 2\r\n\r\ndata:cut off', 'utf8');
		const events: SseEvent[] = [];
		for await (const event of readSseEvents(Readable.from(split(bytes, [3, 17, 30, 31]).map((c) => Buffer.from(c))))) {
			events.push(normalize(event));
		}
		expect(events).toEqual([
			{ event: 'start', data: '{"a":1}', id: undefined },
			{ event: undefined, data: 'line 1\nline 2', id: undefined },
		]);
	});
});

describe('real emulator streams', () => {
	let emu: Emulator;
	beforeAll(async () => {
		emu = await startEmulator({ port: 0 });
	});
	afterAll(async () => emu.close());
	beforeEach(() => emu.reset());

	async function chatStreamUrl(): Promise<string> {
		const res = await callSigned({ baseUrl: emu.url, action: 'ApplyForStreamAccessToken', version: FIXTURES.chatbot.version });
		const { AccessToken, ChannelId, StreamSecret } = res.json;
		const ts = String(Date.now());
		const sign = createHash('md5').update(`streamSecret=${StreamSecret}&timestamp=${ts}`).digest('hex');
		return `${emu.url}/sse/paas4Json/${AccessToken}/${ChannelId}/${sign}/${ts}`;
	}

	const chatBody = (utterance: string) => ({
		messageId: randomUUID(),
		action: 'TongyiBeebotChat',
		version: FIXTURES.chatbot.version,
		data: [{ type: 'JSON_TEXT', value: JSON.stringify({ InstanceId: FIXTURES.chatbot.instanceId, Utterance: utterance }) }],
	});

	/** Raw HTTP, so the reader sees the TCP chunks exactly as the emulator wrote them. */
	function postRaw(url: string, body: object): Promise<Buffer[]> {
		return new Promise((resolve, reject) => {
			const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/event-stream' } }, (res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('end', () => resolve(chunks));
				res.on('error', reject);
			});
			req.on('error', reject);
			req.end(JSON.stringify(body));
		});
	}

	const sentenceText = (envelope: IDataObject) => {
		const value = JSON.parse((envelope.data as Array<{ value: string }>)[0].value);
		return {
			end: value.StreamEnd as boolean,
			text: (value.MessageBody?.DirectMessageBody.SentenceList ?? []).map((s: { Content: string }) => s.Content).join(''),
		};
	};

	it('parses the chatbot seed stream, chunked as the emulator writes it, like the oracle and into the seed answer', async () => {
		const chunks = await postRaw(await chatStreamUrl(), chatBody(FIXTURES.chatbot.seedUtterance));
		expect(chunks.length).toBeGreaterThan(5);
		const events: SseEvent[] = [];
		for await (const event of readSseEvents(Readable.from(chunks))) events.push(normalize(event));
		expect(events).toEqual(oracleEvents(Buffer.concat(chunks)));
		expect(events).toHaveLength(12);
		const answers = events.map((e) => sentenceText(JSON.parse(e.data)));
		expect(answers[answers.length - 1]).toEqual({ end: true, text: FIXTURES.chatbot.seedAnswer });
		expect(answers.slice(0, -1).every((a) => !a.end)).toBe(true);
	});

	it('reads the chatbot stream through the client in the engine (postForEvents)', async () => {
		const item: ProbeItem = { op: 'postForEvents', url: await chatStreamUrl(), body: chatBody(FIXTURES.chatbot.seedUtterance) };
		const run = await runNode(PROBE_NODE_TYPE, { concurrency: 1 }, {
			input: [item] as unknown as IDataObject[],
			credentials: emulatorCredentials(emu.url, EMULATOR_KEYS),
		});
		expect(run.error('Node')).toBeUndefined();
		const events = run.items[0].json.events as unknown as SseEvent[];
		expect(events).toHaveLength(12);
		expect(sentenceText(JSON.parse(events[11].data))).toEqual({ end: true, text: FIXTURES.chatbot.seedAnswer });
	});

	it('reads the CCAI analysis stream (ids, event names, comments) through roaEvents in the engine', async () => {
		const sentences = [
			{ role: 'user', text: '你好，我想查询订单 😀' },
			{ role: 'agent', text: '好的，请提供订单号。' },
		];
		const call = (stream: boolean): ProbeItem => ({
			op: stream ? 'roaEvents' : 'roa',
			call: {
				service: 'ccai',
				action: 'AnalyzeConversation',
				version: FIXTURES.ccai.version,
				method: 'POST',
				path: [FIXTURES.ccai.workspaceId, 'ccai', 'app', FIXTURES.ccai.appId, 'analyze_conversation'],
				body: { stream, resultTypes: ['summary', 'keywords'], dialogue: { sentences } },
			},
		});
		const run = await runNode(PROBE_NODE_TYPE, { concurrency: 1 }, {
			input: [call(true), call(false)] as unknown as IDataObject[],
			credentials: emulatorCredentials(emu.url, EMULATOR_KEYS),
		});
		expect(run.error('Node')).toBeUndefined();
		const events = run.items[0].json.events as unknown as SseEvent[];
		expect(events.length).toBeGreaterThan(1);
		expect(events.every((e) => e.event === 'result')).toBe(true);
		expect(events.map((e) => e.id)).toEqual(events.map(() => expect.stringMatching(/\S/)));
		expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
		const parsed = events.map((e) => JSON.parse(e.data) as IDataObject);
		expect(parsed[parsed.length - 1].finishReason).toBe('stop');
		// Incremental mode: the pieces joined are the non-streamed text.
		expect(parsed.map((p) => p.text).join('')).toBe((run.items[1].json.result as IDataObject).text);
	});
});
