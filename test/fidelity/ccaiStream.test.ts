import { finishReasonOf } from '../../nodes/AlibabaCcaiAnalyze/actions/analyzeConversation/stream';
import type { ApiVariants } from '../emulator';
import { analyze, errorText, iceConversation, jsonOf, useEmulator } from '../ccaiAnalyze/setup';

const STREAM = { options: { stream: true } };
const PENDING: Array<ApiVariants['ccaiPendingFinishReason']> = ['null', 'string-null', 'empty', 'absent'];
const MODES = ['incremental', 'cumulative'] as const;

/** Every way CCAI may mark "still generating", with and without a usage trailer, in both text modes. */
const SHAPES = PENDING.flatMap((pending) =>
	[false, true].flatMap((trailer) => MODES.map((mode) => ({ pending, trailer, mode }))),
);

describe('Fidelity: CCAI stream reads to its end whatever "not finished" looks like', () => {
	const context = useEmulator();
	const input = [{ conversation: iceConversation('s-fidelity') }];

	let plainText = '';
	beforeAll(async () => {
		context.emulator.reset();
		const plain = await analyze(context, {}, input);
		plainText = String(jsonOf(plain.items)[0].text);
		expect(plainText.length).toBeGreaterThan(20);
	});

	it.each(SHAPES)('pending finishReason $pending, trailer $trailer, $mode text: the whole answer', async (shape) => {
		context.emulator.setCcaiStreamMode(shape.mode);
		context.emulator.setVariants({ ccaiPendingFinishReason: shape.pending, ccaiStreamTrailer: shape.trailer });

		const result = await analyze(context, STREAM, input, { streaming: true });

		expect(result.error('Node')).toBeUndefined();
		const [item] = jsonOf(result.items);
		expect(item.text).toBe(plainText);
		expect(item.finishReason).toBe('stop');
		// With a trailer the counts come after "stop": reading on is what finds them.
		expect(item.outputTokens).toBe([...plainText].length);
		expect(item.totalTokens).toBe((item.inputTokens as number) + (item.outputTokens as number));
		const streamed = result.chunks.filter((chunk) => chunk.type === 'item').map((chunk) => chunk.content);
		expect(streamed.length).toBeGreaterThan(1);
		expect(streamed.join('')).toBe(plainText);
	});

	it.each(PENDING)('pending finishReason %s: a cut stream is an error, never a fragment', async (pending) => {
		context.emulator.setVariants({ ccaiPendingFinishReason: pending });
		context.emulator.addFault({ kind: 'truncateSse' });

		const result = await analyze(context, STREAM, input);

		const error = result.error('Node');
		expect(errorText(error)).toContain('StreamEndedEarly');
		expect(result.items).toHaveLength(0);
	});
});

describe('finishReasonOf', () => {
	it.each([
		[null, null],
		[undefined, null],
		['', null],
		['  ', null],
		['null', null],
		['NULL', null],
		[' null ', null],
		[0, null],
		['stop', 'stop'],
		['length', 'length'],
		[' stop ', 'stop'],
	])('%p means %p', (value, expected) => {
		expect(finishReasonOf(value)).toBe(expected);
	});
});
