import { FIXTURES } from '../emulator';
import { chat, useChatEmulator } from './chatHarness';

const env = useChatEmulator();

function chunksOf(result: Awaited<ReturnType<typeof chat>>, itemIndex = 0) {
	return result.chunks.filter((chunk) => chunk.metadata.itemIndex === itemIndex);
}

describe('Alibaba Chatbot Chat: streaming to n8n', () => {
	it('streams the seed answer as deltas whose concatenation is the answer', async () => {
		const result = await chat(env.emulator, [{ text: FIXTURES.chatbot.seedUtterance }], {}, { streaming: true });
		expect(result.run.status).toBe('success');
		const chunks = chunksOf(result);
		expect(chunks[0].type).toBe('begin');
		expect(chunks[chunks.length - 1].type).toBe('end');
		const items = chunks.filter((chunk) => chunk.type === 'item').map((chunk) => chunk.content ?? '');
		expect(items.length).toBeGreaterThan(1);
		expect(items.every((delta) => delta.length > 0)).toBe(true);
		expect(items.join('')).toBe(FIXTURES.chatbot.seedAnswer);
		expect(result.items[0].json.answer).toBe(FIXTURES.chatbot.seedAnswer);
		// The seed grows in five steps; repeats of the full text send nothing.
		expect(items).toEqual([
			'我是个大模型,能够',
			'回答问题、创作文字,比如写',
			'故事、写公文、写邮件',
			'、写剧本等等,还能表达观点',
			',玩游戏等。',
		]);
		expect(chunks.every((chunk) => chunk.metadata.nodeName === 'Node')).toBe(true);
	});

	it('streams each item of a batch under its own item index', async () => {
		const result = await chat(env.emulator, [{ text: 'first' }, { text: 'second' }], {}, { streaming: true });
		for (const [index, item] of result.items.entries()) {
			const chunks = chunksOf(result, index);
			expect(chunks.filter((chunk) => chunk.type === 'begin')).toHaveLength(1);
			expect(chunks.filter((chunk) => chunk.type === 'end')).toHaveLength(1);
			const text = chunks
				.filter((chunk) => chunk.type === 'item')
				.map((chunk) => chunk.content)
				.join('');
			expect(text).toBe(item.json.answer);
		}
	});

	it('sends no chunks when the workflow does not stream', async () => {
		const result = await chat(env.emulator, [{ text: FIXTURES.chatbot.seedUtterance }]);
		expect(result.run.status).toBe('success');
		expect(result.chunks).toEqual([]);
		expect(result.items[0].json.answer).toBe(FIXTURES.chatbot.seedAnswer);
	});

	it('closes the streamed message when the stream breaks off', async () => {
		env.emulator.addFault({ kind: 'truncateSse' });
		const result = await chat(env.emulator, [{ text: FIXTURES.chatbot.seedUtterance }], {}, { streaming: true });
		expect(result.run.status).toBe('error');
		const types = chunksOf(result).map((chunk) => chunk.type);
		expect(types[0]).toBe('begin');
		expect(types.filter((type) => type === 'end')).toHaveLength(1);
	});
});
