import type { StructuredChunk } from 'n8n-workflow';

import { StreamText } from '../../nodes/AlibabaCcaiAnalyze/actions/analyzeConversation/stream';
import { analyze, bodies, errorText, iceConversation, jsonOf, SECRETS, useEmulator } from './setup';

const STREAM = { options: { stream: true } };

function chunksOf(chunks: StructuredChunk[], itemIndex: number): StructuredChunk[] {
	return chunks.filter((chunk) => chunk.metadata.itemIndex === itemIndex);
}

describe('CCAI Analyze: streaming', () => {
	const context = useEmulator();
	const input = [{ conversation: iceConversation('s-stream') }];

	async function plainText(): Promise<string> {
		const result = await analyze(context, {}, input);
		return String(jsonOf(result.items)[0].text);
	}

	it.each(['incremental', 'cumulative'] as const)('%s events give the same text as a plain call', async (mode) => {
		const expected = await plainText();
		context.emulator.setCcaiStreamMode(mode);
		const result = await analyze(context, STREAM, input);
		expect(result.error('Node')).toBeUndefined();
		expect(bodies(context.emulator).map((body) => body.stream)).toEqual([false, true]);
		const [item] = jsonOf(result.items);
		expect(item.text).toBe(expected);
		expect(item.finishReason).toBe('stop');
		// The last event's counts are the totals.
		expect(item.outputTokens).toBe([...expected].length);
		expect(item.totalTokens).toBe((item.inputTokens as number) + (item.outputTokens as number));
		expect(item.requestId).toMatch(/^[0-9A-F-]{36}$/);
		expect(result.chunks).toEqual([]);
	});

	it.each(['incremental', 'cumulative'] as const)(
		'under n8n streaming (%s), chunks go out per item and concatenate to the text',
		async (mode) => {
			context.emulator.setCcaiStreamMode(mode);
			const twoItems = [{ conversation: iceConversation('one') }, { conversation: { sentences: [{ role: 'user', text: '我想查询订单状态' }] } }];
			const result = await analyze(context, STREAM, twoItems, { streaming: true });
			expect(result.error('Node')).toBeUndefined();
			const items = jsonOf(result.items);
			for (const index of [0, 1]) {
				const chunks = chunksOf(result.chunks, index);
				expect(chunks[0].type).toBe('begin');
				expect(chunks[chunks.length - 1].type).toBe('end');
				const pieces = chunks.filter((chunk) => chunk.type === 'item');
				// The emulator sends several events, so the text really arrives in parts.
				expect(pieces.length).toBeGreaterThan(1);
				expect(pieces.map((chunk) => chunk.content).join('')).toBe(items[index].text);
				expect(chunks.every((chunk) => chunk.metadata.nodeName === 'Node')).toBe(true);
			}
		},
	);

	it('fails clearly when the stream ends without finishReason "stop"', async () => {
		context.emulator.addFault({ kind: 'truncateSse' });
		const result = await analyze(context, STREAM, input, { streaming: true });
		const error = result.error('Node');
		expect(error?.message).toContain('The stream ended early');
		expect(errorText(error)).toContain('StreamEndedEarly');
		// The partial text went out, then an error chunk instead of an end.
		const types = result.chunks.map((chunk) => chunk.type);
		expect(types[0]).toBe('begin');
		expect(types).toContain('item');
		expect(types[types.length - 1]).toBe('error');
		expect(types).not.toContain('end');
	});

	it('reports an event with success:false with its code', async () => {
		context.emulator.addFault({ kind: 'sseFailure' });
		const result = await analyze(context, STREAM, input);
		const error = result.error('Node');
		expect(error?.message).toContain('CCAI.InternalError');
		expect(error?.message).toContain('ContactCenterAI AnalyzeConversation');
		for (const secret of SECRETS) expect(errorText(error)).not.toContain(secret);
	});

	it('retries a throttled stream request before any event, then streams', async () => {
		context.emulator.addFault({ kind: 'ccaiThrottle', times: 1 });
		const result = await analyze(context, STREAM, input);
		expect(result.error('Node')).toBeUndefined();
		expect(context.emulator.requests.map((request) => request.status)).toEqual([400, 200]);
		expect(jsonOf(result.items)[0].finishReason).toBe('stop');
	});

	describe('StreamText', () => {
		const feed = (pieces: string[]) => {
			const text = new StreamText();
			const deltas = pieces.map((piece, index) => text.push(piece, index === pieces.length - 1));
			return { text: text.text, deltas };
		};

		it('appends incremental pieces', () => {
			expect(feed(['对话', '摘要', '：好'])).toEqual({ text: '对话摘要：好', deltas: ['对话', '摘要', '：好'] });
		});

		it('takes the new tail of cumulative texts', () => {
			expect(feed(['对话', '对话摘要', '对话摘要：好'])).toEqual({ text: '对话摘要：好', deltas: ['对话', '摘要', '：好'] });
		});

		it('ignores empty texts and a closing repeat of the whole answer', () => {
			expect(feed(['a', '', 'b', 'c', 'abc'])).toEqual({ text: 'abc', deltas: ['a', '', 'b', 'c', ''] });
			expect(feed(['ab', 'abc', 'abc'])).toEqual({ text: 'abc', deltas: ['ab', 'c', ''] });
		});

		it('keeps incremental pieces that happen to start with the text so far, once the mode is known', () => {
			expect(feed(['ab', 'c', 'abcd'])).toEqual({ text: 'abcabcd', deltas: ['ab', 'c', 'abcd'] });
		});
	});
});
