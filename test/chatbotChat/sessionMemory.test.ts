import type { IDataObject } from 'n8n-workflow';

import { MAX_REMEMBERED_SESSIONS, SessionMemory } from '../../nodes/AlibabaChatbotChat/helpers/sessionMemory';
import { chat, chatRequests, useChatEmulator } from './chatHarness';

const REMEMBER = { options: { rememberSessionBy: '={{ $json.chat }}' } };

describe('Chatbot Chat: Remember Session By keeps one Chatbot session per conversation of the user', () => {
	const env = useChatEmulator();

	it('a later execution of the same chat continues its Chatbot session; another chat gets its own', async () => {
		const staticData: IDataObject = {};
		const first = await chat(env.emulator, [{ text: '你好', chat: 'alice' }], REMEMBER, { staticData });
		const second = await chat(env.emulator, [{ text: '再见', chat: 'alice' }], REMEMBER, { staticData });
		const other = await chat(env.emulator, [{ text: '你好', chat: 'bob' }], REMEMBER, { staticData });
		const aliceSession = first.items[0].json.sessionId as string;
		expect(aliceSession).toMatch(/^[0-9a-f]{32}$/);
		expect(second.items[0].json.sessionId).toBe(aliceSession);
		expect(second.items[0].json.answer).toMatch(/^第2轮：上一轮您说的是“你好”/);
		expect(other.items[0].json.sessionId).not.toBe(aliceSession);
		expect(other.items[0].json.answer).toMatch(/^第1轮/);
		expect(chatRequests(env.emulator).map((request) => request.value.SessionId)).toEqual([undefined, aliceSession, undefined]);
	});

	it('two messages of one chat in one batch go in turn, the second continuing the session the first opened', async () => {
		const staticData: IDataObject = {};
		const result = await chat(
			env.emulator,
			[
				{ text: 'one', chat: 'c' },
				{ text: 'x', chat: 'd' },
				{ text: 'two', chat: 'c' },
			],
			{ options: { rememberSessionBy: '={{ $json.chat }}', concurrency: 5 } },
			{ staticData },
		);
		const [one, , two] = result.items.map((item) => item.json);
		expect(two.sessionId).toBe(one.sessionId);
		expect(two.answer).toMatch(/^第2轮：上一轮您说的是“one”/);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	});

	it('an item with its own Session ID uses it and leaves the memory alone', async () => {
		const staticData: IDataObject = {};
		const opened = await chat(env.emulator, [{ text: 'start' }]);
		const explicit = opened.items[0].json.sessionId as string;
		await chat(env.emulator, [{ text: 'again', chat: 'e', sessionId: explicit }], REMEMBER, { staticData });
		expect(chatRequests(env.emulator).at(-1)?.value.SessionId).toBe(explicit);
		expect(staticData).toEqual({});
	});

	it('without the option nothing is stored and every execution starts a new session', async () => {
		const staticData: IDataObject = {};
		await chat(env.emulator, [{ text: 'a', chat: 'f' }], {}, { staticData });
		await chat(env.emulator, [{ text: 'b', chat: 'f' }], {}, { staticData });
		expect(chatRequests(env.emulator).map((request) => request.value.SessionId)).toEqual([undefined, undefined]);
		expect(staticData).toEqual({});
	});
});

describe('SessionMemory', () => {
	it('keeps at most MAX_REMEMBERED_SESSIONS keys, forgetting the least recently used', () => {
		const staticData: IDataObject = {};
		let clock = 0;
		const memory = new SessionMemory(staticData, () => ++clock);
		for (let i = 0; i < MAX_REMEMBERED_SESSIONS; i++) memory.remember(`k${i}`, `s${i}`);
		memory.remember('k0', 's0-again');
		memory.remember('new', 's-new');
		expect(Object.keys(staticData.chatbotSessions as IDataObject)).toHaveLength(MAX_REMEMBERED_SESSIONS);
		expect(memory.recall('k0')).toBe('s0-again');
		expect(memory.recall('k1')).toBeUndefined();
		expect(memory.recall('new')).toBe('s-new');
	});
});
