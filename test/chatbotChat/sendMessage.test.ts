import { FIXTURES } from '../emulator';
import { runWorkflow } from '../helpers/engine';
import { CHAT_ACTION, NODE, TOKEN_ACTION, chat, chatParams, chatRequests, credentialsFor, useChatEmulator } from './chatHarness';

const env = useChatEmulator();

describe('Alibaba Chatbot Chat: send message', () => {
	it('answers the seed question with exactly the seed transcript final answer', async () => {
		const result = await chat(env.emulator, [{ text: FIXTURES.chatbot.seedUtterance }]);
		expect(result.run.status).toBe('success');
		expect(result.items).toHaveLength(1);
		const json = result.items[0].json;
		expect(json.answer).toBe(FIXTURES.chatbot.seedAnswer);
		expect(json.sessionId).toMatch(/^[0-9a-f]{32}$/);
		expect(json.messageId).toMatch(/^[0-9a-f-]{36}$/);
		expect(json.answerType).toBe('Direct');
		expect(json.answerSource).toBe('NON_STRUCTURAL_KNOWLEDGE');
		expect(json.contentType).toBe('RICH_TEXT');
		expect(json.aiGenerated).toBe(true);
		expect(json.transferToHuman).toBe(false);
		expect(json.commands).toEqual({});
		expect(json.utterance).toBe(FIXTURES.chatbot.seedUtterance);
		expect(json.events).toBeUndefined();
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('sends the quick-start request: AgentKey on the token call, the TongyiBeebotChat body on the stream', async () => {
		await chat(env.emulator, [{ text: FIXTURES.chatbot.seedUtterance }]);
		const tokenCall = env.emulator.requests.find((request) => request.action === TOKEN_ACTION);
		expect(tokenCall?.query.AgentKey).toBe(FIXTURES.chatbot.agentKey);
		const [request] = chatRequests(env.emulator);
		const body = env.emulator.requests.find((r) => r.action === CHAT_ACTION)?.json as Record<string, unknown>;
		expect(body).toMatchObject({ action: 'TongyiBeebotChat', version: '2022-04-08', data: [{ type: 'JSON_TEXT' }] });
		expect(request.messageId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(request.value).toEqual({ InstanceId: FIXTURES.chatbot.instanceId, Utterance: FIXTURES.chatbot.seedUtterance });
		expect(request.accessToken).toBe(env.issued[0].AccessToken);
		expect(request.channelId).toBe(env.issued[0].ChannelId);
	});

	it('omits AgentKey when the agent key is empty', async () => {
		const result = await chat(env.emulator, [{ text: 'hello' }], { agentKey: '' });
		expect(result.run.status).toBe('success');
		const tokenCall = env.emulator.requests.find((request) => request.action === TOKEN_ACTION);
		expect(tokenCall).toBeDefined();
		expect(tokenCall?.query).not.toHaveProperty('AgentKey');
	});

	it('passes every option into the request value', async () => {
		await chat(env.emulator, [{ text: 'hello' }], {
			options: {
				senderId: 'user-42',
				senderNick: 'Ada',
				vendorParam: '{"phone":"123456789"}',
				perspective: 'FZJBY3raWr, 1A2b3C4d5E',
				sandbox: true,
				command: 'GUIDEPOST',
			},
		});
		const [request] = chatRequests(env.emulator);
		expect(request.value).toEqual({
			InstanceId: FIXTURES.chatbot.instanceId,
			Utterance: 'hello',
			SenderId: 'user-42',
			SenderNick: 'Ada',
			VendorParam: '{"phone":"123456789"}',
			Perspective: ['FZJBY3raWr', '1A2b3C4d5E'],
			SandBox: true,
			Command: 'GUIDEPOST',
		});
	});

	it('adds every event to the output when asked, and the answer is the last one with a body', async () => {
		const result = await chat(env.emulator, [{ text: FIXTURES.chatbot.seedUtterance }], {
			options: { includeEvents: true },
		});
		const events = result.items[0].json.events as Array<Record<string, unknown>>;
		expect(events).toHaveLength(12);
		expect(events[0].MessageBody).toBeUndefined();
		expect(events[events.length - 1].StreamEnd).toBe(true);
		expect(typeof events[0].RequestId).toBe('string');
		expect(events.every((event) => event.SessionId === result.items[0].json.sessionId)).toBe(true);
	});

	it('continues a conversation in a second execution with the returned session ID', async () => {
		const first = await chat(env.emulator, [{ text: '你好' }]);
		const sessionId = first.items[0].json.sessionId as string;
		expect(first.items[0].json.answer).toMatch(/^第1轮/);

		const second = await chat(env.emulator, [{ text: '再见', sessionId }]);
		expect(second.items[0].json.sessionId).toBe(sessionId);
		expect(second.items[0].json.answer).toMatch(/^第2轮：上一轮您说的是“你好”/);
		const requests = chatRequests(env.emulator);
		expect(requests[0].value.SessionId).toBeUndefined();
		expect(requests[1].value.SessionId).toBe(sessionId);
	});

	it('continues the conversation across items when asked, each item passing the previous session ID', async () => {
		const result = await chat(env.emulator, [{ text: 'one' }, { text: 'two' }, { text: 'three' }], {
			options: { continueAcrossItems: true },
		});
		const answers = result.items.map((item) => item.json.answer as string);
		expect(answers[0]).toMatch(/^第1轮/);
		expect(answers[1]).toMatch(/^第2轮：上一轮您说的是“one”/);
		expect(answers[2]).toMatch(/^第3轮：上一轮您说的是“two”/);
		const sessionIds = new Set(result.items.map((item) => item.json.sessionId));
		expect(sessionIds.size).toBe(1);
		const requests = chatRequests(env.emulator);
		expect(requests.map((request) => request.value.SessionId)).toEqual([undefined, ...[...sessionIds, ...sessionIds]]);
	});

	it('keeps turn order for items that share a session ID, even with concurrency', async () => {
		const first = await chat(env.emulator, [{ text: 'start' }]);
		const sessionId = first.items[0].json.sessionId as string;
		const texts = ['a1', 'a2', 'a3', 'a4'];
		const result = await chat(
			env.emulator,
			texts.map((text) => ({ text, sessionId })),
			{ options: { concurrency: 4 } },
		);
		const sent = chatRequests(env.emulator)
			.slice(1)
			.map((request) => request.value.Utterance);
		expect(sent).toEqual(texts);
		expect(result.items.map((item) => item.json.answer as string).map((answer) => answer.slice(0, 3))).toEqual([
			'第2轮',
			'第3轮',
			'第4轮',
			'第5轮',
		]);
	});

	it('costs one token call for a batch of 5 messages, and keeps output order and pairing', async () => {
		const input = [1, 2, 3, 4, 5].map((n) => ({ text: `message ${n}` }));
		const result = await chat(env.emulator, input);
		expect(result.run.status).toBe('success');
		expect(env.emulator.countCalls(TOKEN_ACTION)).toBe(1);
		expect(env.emulator.countCalls(CHAT_ACTION)).toBe(5);
		expect(result.items.map((item) => item.pairedItem)).toEqual(input.map((_, item) => ({ item })));
		result.items.forEach((item, index) => {
			expect(item.json.utterance).toBe(`message ${index + 1}`);
			expect(item.json.answer).toContain(`“message ${index + 1}”`);
		});
		expect(new Set(result.items.map((item) => item.json.sessionId)).size).toBe(5);
	});

	it('reuses the token in a second execution (no new token call)', async () => {
		await chat(env.emulator, [{ text: 'first run' }]);
		expect(env.emulator.countCalls(TOKEN_ACTION)).toBe(1);
		const second = await chat(env.emulator, [{ text: 'second run' }, { text: 'second run, again' }]);
		expect(second.run.status).toBe('success');
		expect(env.emulator.countCalls(TOKEN_ACTION)).toBe(1);
		const tokens = new Set(chatRequests(env.emulator).map((request) => request.accessToken));
		expect(tokens).toEqual(new Set([env.issued[0].AccessToken]));
	});

	it('keeps one token per agent key', async () => {
		await chat(env.emulator, [{ text: 'a' }]);
		await chat(env.emulator, [{ text: 'b' }], { agentKey: 'other0agent0key_p_beebot_public' });
		await chat(env.emulator, [{ text: 'c' }]);
		expect(env.emulator.countCalls(TOKEN_ACTION)).toBe(2);
		const tokens = chatRequests(env.emulator).map((request) => request.accessToken);
		expect(tokens[0]).toBe(tokens[2]);
		expect(tokens[1]).not.toBe(tokens[0]);
	});

	it('renews an expired token once and then succeeds', async () => {
		await chat(env.emulator, [{ text: 'before expiry' }]);
		env.emulator.expireStreamTokens();
		const result = await chat(env.emulator, [{ text: 'after expiry' }]);
		expect(result.run.status).toBe('success');
		expect(result.items[0].json.answer).toContain('“after expiry”');
		expect(env.emulator.countCalls(TOKEN_ACTION)).toBe(2);
		const requests = chatRequests(env.emulator);
		expect(requests).toHaveLength(3);
		expect(requests[1].accessToken).toBe(env.issued[0].AccessToken);
		expect(requests[2].accessToken).toBe(env.issued[1].AccessToken);
		// The retry is the same message, so the bot's idempotency key stays the same.
		expect(requests[2].messageId).toBe(requests[1].messageId);
	});

	it('renews once for a whole batch whose cached token was revoked', async () => {
		await chat(env.emulator, [{ text: 'warm up' }]);
		env.emulator.expireStreamTokens();
		const result = await chat(env.emulator, [1, 2, 3, 4, 5].map((n) => ({ text: `m${n}` })));
		expect(result.run.status).toBe('success');
		expect(env.emulator.countCalls(TOKEN_ACTION)).toBe(2);
		expect(result.items.map((item) => item.json.utterance)).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
	});

	it('reports a hand-over to a human agent as the sysToAgent command', async () => {
		const result = await chat(env.emulator, [{ text: '我要转人工' }]);
		const json = result.items[0].json;
		expect(json.transferToHuman).toBe(true);
		expect(json.commands).toEqual({ sysToAgent: JSON.parse(FIXTURES.chatbot.handoffCommand) });
		expect(json.answer).toContain('转接人工客服');
		expect(json.answerSource).toBe('BotFramework');
	});

	it('refuses a message over 128 characters before any call', async () => {
		const text = '好'.repeat(129);
		const result = await chat(env.emulator, [{ text }]);
		expect(result.run.status).toBe('error');
		const error = result.error('Node');
		expect(error?.message).toContain('129 characters');
		expect(error?.message).toContain('at most 128');
		expect(env.emulator.requests).toHaveLength(0);
	});

	it('accepts exactly 128 characters, counted as characters not UTF-16 units', async () => {
		const text = '😀'.repeat(128);
		const result = await chat(env.emulator, [{ text }]);
		expect(result.run.status).toBe('success');
		expect(chatRequests(env.emulator)[0].value.Utterance).toBe(text);
	});

	it('refuses an empty message and bad vendor params before any call', async () => {
		const empty = await chat(env.emulator, [{ text: '   ' }]);
		expect(empty.error('Node')?.message).toBe('The message is empty');
		const badJson = await chat(env.emulator, [{ text: 'hi' }], { options: { vendorParam: '{not json' } });
		expect(badJson.error('Node')?.message).toBe('Vendor Params is not valid JSON');
		const notObject = await chat(env.emulator, [{ text: 'hi' }], { options: { vendorParam: '[1,2]' } });
		expect(notObject.error('Node')?.message).toBe('Vendor Params must be a JSON object');
		expect(env.emulator.requests).toHaveLength(0);
	});

	it('with continue-on-fail, turns bad items into paired error items and still answers the rest', async () => {
		const input = [{ text: 'fine' }, { text: 'x'.repeat(200) }, { text: 'also fine' }];
		const result = await chat(env.emulator, input, {}, { continueOnFail: true });
		expect(result.run.status).toBe('success');
		expect(result.items).toHaveLength(3);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[0].json.answer).toContain('“fine”');
		expect(result.items[1].json.error).toContain('200 characters');
		expect(result.items[2].json.answer).toContain('“also fine”');
		expect(env.emulator.countCalls(CHAT_ACTION)).toBe(2);
	});

	it('with continue-on-fail, an unknown instance becomes an error item with the advice', async () => {
		const result = await chat(env.emulator, [{ text: 'hi' }], { instanceId: 'chatbot-cn-nobody' }, { continueOnFail: true });
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json.error).toContain('InstanceNotFound');
		expect(result.items[0].json.error).toContain('Check the Instance ID');
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
	});

	it('pairs output items with their inputs behind another node', async () => {
		const result = await runWorkflow({
			nodes: [
				{ name: 'Start', type: 'test.items', parameters: { items: '[{"text":"p1"},{"text":"p2"}]' }, credentials: [] },
				{ name: 'Chat', type: NODE, parameters: chatParams() },
			],
			credentials: credentialsFor(env.emulator),
		});
		const output = result.output('Chat');
		expect(output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(output.map((item) => item.json.utterance)).toEqual(['p1', 'p2']);
	});
});
