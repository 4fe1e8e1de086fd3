import type { IDataObject } from 'n8n-workflow';

import { AnswerState, type ChatEventValue, commandsOf } from '../../nodes/AlibabaChatbotChat/helpers/answer';
import { FIXTURES } from '../emulator';
import { CHAT_ACTION, TOKEN_ACTION, chat, errorText, secretsSeen, useChatEmulator } from '../chatbotChat/chatHarness';

const env = useChatEmulator();
const HANDOFF = JSON.parse(FIXTURES.chatbot.handoffCommand) as IDataObject;
const WHERE = ['top', 'direct'] as const;
const HTML_STATUSES = [200, 403, 401, 404, 500];

describe('Fidelity: Chatbot hand-over is seen wherever Commands sits', () => {
	it.each(WHERE)('Commands at %s: transferToHuman and the parsed command', async (where) => {
		env.emulator.setVariants({ chatbotCommandsAt: where });

		const result = await chat(env.emulator, [{ text: `请帮我${FIXTURES.chatbot.handoffKeyword}` }, { text: '你好' }], {
			options: { includeEvents: true },
		});

		expect(result.run.status).toBe('success');
		const [handoff, plain] = result.items.map((item) => item.json);
		expect(handoff.transferToHuman).toBe(true);
		expect(handoff.commands).toEqual({ sysToAgent: HANDOFF });
		expect(String(handoff.answer)).toContain('转接人工客服');
		// The events prove the emulator really put Commands where the variant says.
		const withBody = (handoff.events as IDataObject[]).filter((event) => event.MessageBody);
		expect(withBody.length).toBeGreaterThan(0);
		for (const event of withBody) {
			const direct = (event.MessageBody as IDataObject).DirectMessageBody as IDataObject;
			expect(where === 'top' ? event.Commands : direct.Commands).toBeDefined();
			expect(where === 'top' ? direct.Commands : event.Commands).toBeUndefined();
		}
		expect(plain.transferToHuman).toBe(false);
		expect(plain.commands).toEqual({});
	});
});

describe('commandsOf', () => {
	const body = (commands?: IDataObject): ChatEventValue => ({
		MessageBody: { Type: 'Direct', DirectMessageBody: { ContentType: 'RICH_TEXT', Ext: {}, SentenceList: [], ...(commands ? { Commands: commands } : {}) } },
	});

	it('reads both places; the direct body wins a command found in both', () => {
		expect(commandsOf({ Commands: { a: '1' } })).toEqual({ a: '1' });
		expect(commandsOf(body({ sysToAgent: '{"skillGroup":"7"}' }))).toEqual({ sysToAgent: { skillGroup: '7' } });
		expect(commandsOf({ ...body({ x: 'direct' }), Commands: { x: 'top', y: 'top' } })).toEqual({ x: 'direct', y: 'top' });
		expect(commandsOf(body())).toEqual({});
		expect(commandsOf({ MessageBody: 'not an object' as unknown as IDataObject })).toEqual({});
	});

	it('keeps a command seen on an earlier event when later events omit it', () => {
		const state = new AnswerState();
		state.apply(body({ sysToAgent: '{"skillGroup":"12"}' }));
		state.apply(body());
		expect(state.commands).toEqual({ sysToAgent: { skillGroup: '12' } });
	});
});

describe('Fidelity: an HTML refusal renews the stream token once, whatever its status', () => {
	it.each(HTML_STATUSES)('HTML with status %i once: renewed, answered', async (status) => {
		env.emulator.setVariants({ chatbotHtmlStatus: status });
		env.emulator.addFault({ kind: 'expireStreamToken', times: 1 });

		const result = await chat(env.emulator, [{ text: FIXTURES.chatbot.seedUtterance }]);

		expect(result.run.status).toBe('success');
		expect(result.items[0].json.answer).toBe(FIXTURES.chatbot.seedAnswer);
		expect(env.emulator.countCalls(TOKEN_ACTION)).toBe(2);
		expect(env.emulator.requests.filter((r) => r.action === CHAT_ACTION).map((r) => r.status)).toEqual([status, 200]);
	});

	it.each(HTML_STATUSES)('HTML with status %i every time: one renewal, then StreamRejected', async (status) => {
		env.emulator.setVariants({ chatbotHtmlStatus: status });
		env.emulator.addFault({ kind: 'htmlStream', times: Infinity });

		const result = await chat(env.emulator, [{ text: FIXTURES.chatbot.seedUtterance }]);

		const error = result.error('Node');
		expect(error?.message).toContain('StreamRejected');
		expect(env.emulator.countCalls(TOKEN_ACTION)).toBe(2);
		expect(env.emulator.countCalls(CHAT_ACTION)).toBe(2);
		const visible = errorText(error);
		for (const secret of secretsSeen(env)) expect(visible).not.toContain(secret);
		expect(visible).not.toContain('Whitelabel');
	});
});
