import { readAnalysisStream } from '../../nodes/AlibabaCcaiAnalyze/actions/analyzeConversation/stream';
import type { AlibabaClient, AlibabaErrorInfo, RoaCall, SseEvent } from '../../nodes/shared/transport';

/** Just what readAnalysisStream uses of the client: the events, the operation name and fail(). */
function clientWith(events: SseEvent[]): AlibabaClient {
	async function* stream() {
		for (const event of events) yield event;
	}
	return {
		operationName: () => 'ContactCenterAI AnalyzeConversation',
		roaEvents: async () => stream(),
		fail: (info: AlibabaErrorInfo) => {
			throw new Error(`${info.code}: ${info.message}`);
		},
	} as unknown as AlibabaClient;
}

const call = {} as RoaCall;
const result = (data: object, event = 'result'): SseEvent => ({ event, data: JSON.stringify(data) });
const piece = (text: string, finishReason: unknown = 'null') => result({ requestId: 'R', success: true, text, finishReason });

describe('CCAI stream: what ends it', () => {
	it('reads past "stop": text and counts after it are kept', async () => {
		const analysis = await readAnalysisStream(
			clientWith([piece('a'), piece('b', 'stop'), piece('c'), result({ text: '', outputTokens: '3', totalTokens: '9' })]),
			call,
		);
		expect(analysis).toMatchObject({ text: 'abc', finishReason: 'stop', outputTokens: '3', totalTokens: '9', requestId: 'R' });
	});

	it('an end event with JSON data is read, then ends the stream', async () => {
		const analysis = await readAnalysisStream(
			clientWith([piece('a'), result({ text: 'b', finishReason: 'stop', totalTokens: '5' }, 'complete'), piece('never')]),
			call,
		);
		expect(analysis).toMatchObject({ text: 'ab', finishReason: 'stop', totalTokens: '5' });
	});

	it.each([
		[{ data: '[DONE]' }],
		[{ event: 'done', data: '' }],
		[{ event: 'end', data: 'end' }],
	])('an end marker %p ends a stream that named no finish reason, without error', async (marker) => {
		const analysis = await readAnalysisStream(clientWith([piece('a'), piece('b'), marker as SseEvent, piece('never')]), call);
		expect(analysis).toMatchObject({ text: 'ab', finishReason: null });
	});

	it('the end of the stream without a finish reason or a marker is StreamEndedEarly', async () => {
		await expect(readAnalysisStream(clientWith([piece('a'), piece('b', '')]), call)).rejects.toThrow(/^StreamEndedEarly/);
	});

	it('non-JSON data in an ordinary event is still an error', async () => {
		await expect(readAnalysisStream(clientWith([piece('a'), { event: 'result', data: 'oops' }]), call)).rejects.toThrow(
			/^InvalidStreamEvent/,
		);
	});
});
