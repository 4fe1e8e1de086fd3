import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { AnswerState, answerTextOf, parseCommands } from '../../nodes/AlibabaChatbotChat/helpers/answer';
import type { IExecuteFunctions } from 'n8n-workflow';

import {
	AnswerStreamer,
	canStream,
	nextDelta,
	REWRITE_SEPARATOR,
} from '../../nodes/AlibabaChatbotChat/helpers/answerStreamer';
import { SessionOrder } from '../../nodes/AlibabaChatbotChat/helpers/sessionOrder';
import { SseParser } from '../../nodes/shared/transport';
import { FIXTURES } from '../emulator';

function seedValues() {
	const text = readFileSync(join(__dirname, '..', 'emulator', 'fixtures', 'chatbot-seed.sse'), 'utf8');
	const events: string[] = [];
	const parser = new SseParser((event) => events.push(event.data));
	// Fed byte by byte with CRLF line ends: splits inside UTF-8 characters and between CR and LF.
	for (const byte of Buffer.from(text.replace(/\n/g, '\r\n'), 'utf8')) parser.feed(Uint8Array.of(byte));
	return events.map((data) => JSON.parse(JSON.parse(data).data[0].value));
}

describe('answer folding', () => {
	it('folds the seed transcript (parsed byte by byte with CRLF) into its final answer', () => {
		const values = seedValues();
		expect(values).toHaveLength(12);
		const state = new AnswerState();
		for (const value of values) state.apply(value);
		expect(state.text).toBe(FIXTURES.chatbot.seedAnswer);
		expect(state.sessionId).toBe('dfa8ed43a2584d6c867a1c9b5baee490');
		expect(state.messageId).toBe('aad1d419-45cb-4f8d-9f24-a0c12ca62749');
		expect(state.answerType).toBe('Direct');
		expect(state.answerSource).toBe('NON_STRUCTURAL_KNOWLEDGE');
		expect(state.ended).toBe(true);
	});

	it('replaces the text with every event instead of appending', () => {
		const state = new AnswerState();
		const body = (content: string) => ({
			MessageBody: { Type: 'Direct', DirectMessageBody: { SentenceList: [{ Content: content }] } },
		});
		state.apply(body('Hello'));
		state.apply(body('Hello wor'));
		state.apply({ StreamEnd: false });
		state.apply(body('Hello world'));
		expect(state.text).toBe('Hello world');
	});

	it('joins several sentences and reads clarify answers', () => {
		expect(
			answerTextOf({
				MessageBody: { Type: 'Direct', DirectMessageBody: { SentenceList: [{ Content: 'A. ' }, { Content: 'B.' }] } },
			}),
		).toBe('A. B.');
		expect(
			answerTextOf({ MessageBody: { Type: 'Clarify', ClarifyMessageBody: { ClarifyContent: 'Which one?' } } }),
		).toBe('Which one?');
		expect(answerTextOf({ SessionId: 's' })).toBeUndefined();
	});

	it('reads the body the answer type names when an event carries both kinds of body', () => {
		// Clients that serialize every field send an empty DirectMessageBody beside a clarify question.
		const both = (type: string) => ({
			MessageBody: {
				Type: type,
				DirectMessageBody: { SentenceList: type === 'Clarify' ? [] : [{ Content: 'Direct answer.' }] },
				ClarifyMessageBody: { ClarifyContent: 'Which one?' },
			},
		});
		expect(answerTextOf(both('Clarify'))).toBe('Which one?');
		expect(answerTextOf(both('Direct'))).toBe('Direct answer.');
		const state = new AnswerState();
		state.apply(both('Clarify'));
		expect(state).toMatchObject({ text: 'Which one?', answerType: 'Clarify' });
	});

	it('parses JSON-string command values and keeps others', () => {
		expect(parseCommands({ sysToAgent: '{"skillGroup":"12"}', plain: 'text', broken: '{nope' })).toEqual({
			sysToAgent: { skillGroup: '12' },
			plain: 'text',
			broken: '{nope',
		});
		expect(parseCommands(undefined)).toEqual({});
	});
});

describe('stream deltas', () => {
	it('sends what extends the text already sent', () => {
		expect(nextDelta('', 'abc')).toBe('abc');
		expect(nextDelta('abc', 'abcdef')).toBe('def');
	});

	it('sends nothing when nothing is new or the bot rewrote the text', () => {
		expect(nextDelta('abc', 'abc')).toBeUndefined();
		expect(nextDelta('abc', '')).toBeUndefined();
		expect(nextDelta('abc', 'abX and more')).toBeUndefined();
	});

});

function fakeContext(streaming: boolean | undefined) {
	const sent: Array<[string, number, string | undefined]> = [];
	const ctx =
		streaming === undefined
			? {}
			: {
					isStreaming: () => streaming,
					sendChunk: async (type: string, itemIndex: number, content?: string) => void sent.push([type, itemIndex, content]),
				};
	return { ctx: ctx as unknown as IExecuteFunctions, sent };
}

describe('answer streamer', () => {
	it('streams only when n8n has streaming and it is on (older n8n has no isStreaming)', () => {
		expect(canStream(fakeContext(true).ctx)).toBe(true);
		expect(canStream(fakeContext(false).ctx)).toBe(false);
		expect(canStream(fakeContext(undefined).ctx)).toBe(false);
	});

	it('waits through a temporary rewrite and goes on when the text catches up', async () => {
		const { ctx, sent } = fakeContext(true);
		const streamer = new AnswerStreamer(ctx, 3, true);
		await streamer.begin();
		for (const text of ['Hel', 'Hello', 'He***', 'Hello wor', 'Hello world']) await streamer.update(text);
		await streamer.complete('Hello world');
		expect(sent).toEqual([
			['begin', 3, undefined],
			['item', 3, 'Hel'],
			['item', 3, 'lo'],
			['item', 3, ' wor'],
			['item', 3, 'ld'],
			['end', 3, undefined],
		]);
	});

	it('sends the whole final answer after a blank line when it no longer continues what was shown', async () => {
		const { ctx, sent } = fakeContext(true);
		const streamer = new AnswerStreamer(ctx, 0, true);
		await streamer.begin();
		await streamer.update('The price is 10');
		await streamer.update('Sorry, I cannot answer that.');
		await streamer.complete('Sorry, I cannot answer that.');
		expect(sent.map(([type, , content]) => [type, content])).toEqual([
			['begin', undefined],
			['item', 'The price is 10'],
			['item', `${REWRITE_SEPARATOR}Sorry, I cannot answer that.`],
			['end', undefined],
		]);
	});

	it('sends nothing when streaming is off', async () => {
		const { ctx, sent } = fakeContext(true);
		const streamer = new AnswerStreamer(ctx, 0, false);
		await streamer.begin();
		await streamer.update('abc');
		await streamer.complete('abc');
		expect(sent).toEqual([]);
	});
});

describe('session order', () => {
	it('runs tasks of one session in queue order and others freely', async () => {
		const order = new SessionOrder();
		const log: string[] = [];
		let release!: () => void;
		const gate = new Promise<void>((resolve) => (release = resolve));
		const first = order.run('s', async () => {
			await gate;
			log.push('s1');
		});
		const second = order.run('s', async () => {
			log.push('s2');
		});
		const other = order.run('t', async () => {
			log.push('t1');
		});
		await other;
		expect(log).toEqual(['t1']);
		release();
		await Promise.all([first, second]);
		expect(log).toEqual(['t1', 's1', 's2']);
	});

	it('goes on with the next turn when one fails', async () => {
		const order = new SessionOrder();
		const failed = order.run('s', async () => {
			throw new Error('boom');
		});
		const next = order.run('s', async () => 'ok');
		await expect(failed).rejects.toThrow('boom');
		await expect(next).resolves.toBe('ok');
	});
});
