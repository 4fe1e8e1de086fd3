import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { EMULATOR_KEYS, FIXTURES } from '../emulator';
import { emulatorCredentials } from '../helpers/credentials';
import { runNode } from '../helpers/engine';
import {
	CHAT_ACTION,
	NODE,
	TOKEN_ACTION,
	chat,
	chatParams,
	chatRequests,
	errorText,
	secretsSeen,
	useChatEmulator,
} from './chatHarness';

const env = useChatEmulator();

/** Runs the seed question and returns the node's error, after checking no secret shows in it. */
async function failingChat(options: { continueOnFail?: boolean } = {}, secretsInPlay = 4) {
	const result = await chat(env.emulator, [{ text: FIXTURES.chatbot.seedUtterance }], {}, options);
	const error = result.error('Node');
	const visible = [errorText(error), JSON.stringify(result.items.map((item) => item.json))].join('\n');
	const secrets = secretsSeen(env);
	// By default the URL's token and sign, the stream secret and the AccessKey secret were all in play.
	expect(secrets.length).toBeGreaterThanOrEqual(secretsInPlay);
	for (const secret of secrets) expect(visible).not.toContain(secret);
	expect(visible).not.toContain('/sse/paas4Json/');
	return { result, error };
}

describe('Alibaba Chatbot Chat: errors', () => {
	it('a stream that ends without StreamEnd is an error that says the answer is incomplete', async () => {
		env.emulator.addFault({ kind: 'truncateSse', match: { action: CHAT_ACTION } });
		const { result, error } = await failingChat();
		expect(result.run.status).toBe('error');
		expect(error?.message).toContain('StreamIncomplete');
		expect(error?.message).toContain('without its final event (StreamEnd)');
		expect(error?.message).toMatch(/ended after 6 event\(s\)/);
	});

	it('an HTML page twice (renewal does not help) is an error naming what to check, after one renewal', async () => {
		env.emulator.addFault({ kind: 'htmlStream', times: 2 });
		const { result, error } = await failingChat();
		expect(result.run.status).toBe('error');
		expect(error?.message).toContain('StreamRejected');
		expect(error?.message).toContain('HTML page instead of events');
		expect(error?.message).toContain('Chatbot Stream endpoint');
		expect(env.emulator.countCalls(TOKEN_ACTION)).toBe(2);
		expect(env.emulator.countCalls(CHAT_ACTION)).toBe(2);
	});

	it('a single HTML page is healed by one renewal', async () => {
		env.emulator.addFault({ kind: 'htmlStream', times: 1 });
		const result = await chat(env.emulator, [{ text: FIXTURES.chatbot.seedUtterance }]);
		expect(result.run.status).toBe('success');
		expect(result.items[0].json.answer).toBe(FIXTURES.chatbot.seedAnswer);
		expect(env.emulator.countCalls(TOKEN_ACTION)).toBe(2);
	});

	it('a token revoked mid-batch by the server is renewed once', async () => {
		env.emulator.addFault({ kind: 'expireStreamToken', times: 1 });
		const result = await chat(env.emulator, [{ text: 'a' }, { text: 'b' }, { text: 'c' }], {}, {});
		expect(result.run.status).toBe('success');
		expect(env.emulator.countCalls(TOKEN_ACTION)).toBe(2);
		expect(result.items.map((item) => item.json.utterance)).toEqual(['a', 'b', 'c']);
	});

	it('an event with success:false is an error carrying its code and request id', async () => {
		env.emulator.addFault({ kind: 'sseFailure' });
		const { result, error } = await failingChat();
		expect(result.run.status).toBe('error');
		expect(error?.message).toContain('InternalError');
		expect(error?.message).toContain('The chatbot answered with an error');
		expect(error?.description).toMatch(/RequestId: [0-9a-f-]{36}/);
	});

	it('a connection dropped after the message was sent is a clear error, and the message is not posted again', async () => {
		env.emulator.addFault({ kind: 'drop', match: { action: CHAT_ACTION }, times: 1 });
		const { result, error } = await failingChat();
		expect(result.run.status).toBe('error');
		expect(error?.message).toMatch(/ECONNRESET|socket hang up|closed unexpectedly/i);
		expect(error?.message).toContain('not sent again');
		expect(error?.description).toContain('connection to the chatbot stream was lost');
		expect(env.emulator.countCalls(CHAT_ACTION)).toBe(1);
		expect(env.emulator.countCalls(TOKEN_ACTION)).toBe(1);
	});

	it('a throttled message (429, never processed) is sent again with the same message id and succeeds', async () => {
		env.emulator.addFault({ kind: 'throttle', status: 429, match: { action: CHAT_ACTION }, times: 1 });
		const result = await chat(env.emulator, [{ text: FIXTURES.chatbot.seedUtterance }]);
		expect(result.run.status).toBe('success');
		expect(result.items[0].json.answer).toBe(FIXTURES.chatbot.seedAnswer);
		const [refused, answered] = chatRequests(env.emulator);
		expect(refused.status).toBe(429);
		expect(answered.messageId).toBe(refused.messageId);
	});

	it('a failing token call is not cached: the next execution asks again', async () => {
		env.emulator.addFault({ kind: 'forbidden', match: { action: TOKEN_ACTION } });
		const first = await chat(env.emulator, [{ text: 'hi' }]);
		expect(first.error('Node')?.message).toContain('Forbidden.RAM');
		expect(first.error('Node')?.description).toContain('lacks permission');
		const second = await chat(env.emulator, [{ text: 'hi' }]);
		expect(second.run.status).toBe('success');
		expect(env.emulator.countCalls(TOKEN_ACTION)).toBe(2);
	});

	it('a token call whose answer quotes the AccessKey secret never shows it', async () => {
		env.emulator.addFault({ kind: 'echoSecrets', match: { action: TOKEN_ACTION } });
		const { result, error } = await failingChat({ continueOnFail: true }, 1);
		expect(result.items[0].json.error).toContain('InvalidParameter');
		expect(result.items[0].json.error).toContain('AccessKeySecret=***');
		expect(error).toBeUndefined();
	});

	it('with continue-on-fail a stream failure is an error item paired with its input', async () => {
		env.emulator.addFault({ kind: 'sseFailure' });
		const { result } = await failingChat({ continueOnFail: true });
		expect(result.run.status).toBe('success');
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.error).toContain('InternalError');
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});
});

describe('Alibaba Chatbot Chat: a connection dropped mid-answer', () => {
	let server: Server;
	let url: string;

	beforeAll(async () => {
		// A stream host that sends two seed events, then cuts the socket in the middle of the third.
		const seed = readFileSync(join(__dirname, '..', 'emulator', 'fixtures', 'chatbot-seed.sse'), 'utf8');
		const events = seed.split('\n\n').filter((block) => block.startsWith('data:'));
		server = createServer((req, res) => {
			req.resume();
			req.on('end', () => {
				res.writeHead(200, { 'content-type': 'text/event-stream;charset=UTF-8' });
				res.write(`${events[0]}\n\n${events[5]}\n\n${events[6].slice(0, 40)}`);
				setTimeout(() => res.socket?.destroy(), 20);
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		server.closeAllConnections();
		await new Promise((resolve) => server.close(resolve));
	});

	it('is an error that says the connection dropped, with no secret in it', async () => {
		const credentials = emulatorCredentials(env.emulator.url, EMULATOR_KEYS, { chatbotStreamEndpoint: url });
		const result = await runNode(NODE, chatParams(), {
			input: [{ text: FIXTURES.chatbot.seedUtterance }],
			credentials,
			streaming: true,
		});
		expect(result.run.status).toBe('error');
		const error = result.error('Node');
		expect(error?.message).toContain('StreamInterrupted');
		expect(error?.message).toContain('dropped after 2 event(s)');
		const visible = errorText(error);
		for (const token of env.issued) {
			expect(visible).not.toContain(String(token.AccessToken));
			expect(visible).not.toContain(String(token.StreamSecret));
		}
		expect(visible).not.toContain(EMULATOR_KEYS.accessKeySecret);
		// What had streamed stays a closed message (begin, the first piece, end); n8n then adds its error chunk.
		expect(result.chunks.map((chunk) => chunk.type)).toEqual(['begin', 'item', 'end', 'error']);
		expect(result.chunks[1].content).toBe('我是个大模型,能够');
		for (const token of env.issued) expect(JSON.stringify(result.chunks)).not.toContain(String(token.AccessToken));
	});
});
