import { parseResult, tokenCount } from '../../nodes/AlibabaCcaiAnalyze/actions/analyzeConversation/output';
import { analyze, analyzeRequests, iceConversation, jsonOf, pairedIndexes, useEmulator } from './setup';

describe('CCAI Analyze: output', () => {
	const context = useEmulator();

	it('outputs text, result, finishReason, numeric token counts, requestId and sessionId', async () => {
		const result = await analyze(context, {}, [{ conversation: iceConversation('s-out') }]);
		expect(result.error('Node')).toBeUndefined();
		const [item] = jsonOf(result.items);
		expect(analyzeRequests(context.emulator)).toHaveLength(1);
		expect(Object.keys(item).sort()).toEqual(
			['finishReason', 'inputTokens', 'outputTokens', 'requestId', 'result', 'sessionId', 'text', 'totalTokens'].sort(),
		);
		expect(item.text).toMatch(/^对话摘要：共4句对话/);
		// A summary is prose, so result is the same text.
		expect(item.result).toBe(item.text);
		expect(item.finishReason).toBe('stop');
		expect(typeof item.inputTokens).toBe('number');
		expect(typeof item.outputTokens).toBe('number');
		expect(item.outputTokens).toBe([...String(item.text)].length);
		expect(item.totalTokens).toBe((item.inputTokens as number) + (item.outputTokens as number));
		expect(item.requestId).toMatch(/^[0-9A-F-]{36}$/);
		expect(item.sessionId).toBe('s-out');
	});

	it('parses a JSON text into result, and keeps it raw with Keep Raw Text', async () => {
		const input = [{ conversation: iceConversation() }];
		const parsed = await analyze(context, { resultTypes: ['keywords', 'emotion_detection'] }, input);
		const raw = await analyze(context, { resultTypes: ['keywords', 'emotion_detection'], options: { keepRawText: true } }, input);
		const [parsedItem] = jsonOf(parsed.items);
		const [rawItem] = jsonOf(raw.items);
		expect(parsedItem.result).toEqual(JSON.parse(String(parsedItem.text)));
		expect((parsedItem.result as { emotion_detection: { user: string } }).emotion_detection.user).toBe('负面');
		expect(rawItem.result).toBe(rawItem.text);
		expect(typeof rawItem.result).toBe('string');
		expect(rawItem.text).toBe(parsedItem.text);
	});

	it('pairs each output item with its input item', async () => {
		const result = await analyze(context, {}, [
			{ conversation: iceConversation('a') },
			{ conversation: iceConversation('b') },
			{ conversation: iceConversation('c') },
		]);
		expect(pairedIndexes(result.items)).toEqual([0, 1, 2]);
		expect(jsonOf(result.items).map((item) => item.sessionId)).toEqual(['a', 'b', 'c']);
	});

	describe('parseResult', () => {
		it('parses objects and arrays, also inside a ```json fence', () => {
			expect(parseResult('{"a":1}')).toEqual({ a: 1 });
			expect(parseResult(' [1,2] ')).toEqual([1, 2]);
			expect(parseResult('```json\n{"fields":{"x":"y"}}\n```')).toEqual({ fields: { x: 'y' } });
			expect(parseResult('```\n["a"]\n```')).toEqual(['a']);
		});

		it('leaves prose, scalars and broken JSON as text', () => {
			expect(parseResult('对话摘要：客户咨询')).toBe('对话摘要：客户咨询');
			expect(parseResult('42')).toBe('42');
			expect(parseResult('{"a":')).toBe('{"a":');
		});
	});

	describe('tokenCount', () => {
		it('turns string counts into numbers and empty ones into null', () => {
			expect(tokenCount('4672')).toBe(4672);
			expect(tokenCount(12)).toBe(12);
			expect(tokenCount('')).toBeNull();
			expect(tokenCount(undefined)).toBeNull();
			expect(tokenCount('n/a')).toBeNull();
		});
	});
});
