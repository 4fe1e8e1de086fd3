import { ApiError } from '../errors';
import type { Exchange } from '../exchange';
import { FIXTURES } from '../fixture-ids';
import type { ServiceContext } from '../service-context';
import { SseWriter } from '../sse-writer';
import type { FaultKind } from '../types';
import { targetOf } from '../faults';
import type { ApiVariants } from '../variants';
import { type AnalyzeRequest, analysisText, RESULT_TYPES, type Sentence, tokenCounts } from './ccai-analysis';

const STREAM_FAULTS: readonly FaultKind[] = ['truncateSse', 'sseFailure', 'htmlStream'];
const PENDING_FINISH: Record<ApiVariants['ccaiPendingFinishReason'], Record<string, unknown>> = {
	null: { finishReason: null },
	'string-null': { finishReason: 'null' },
	empty: { finishReason: '' },
	absent: {},
};
const ROLES = ['user', 'agent', 'system'];
const MODEL_CODES = ['tyxmTurbo', 'tyxmPlus'];

export function ccaiThrottled(): ApiError {
	return new ApiError(
		400,
		'CCAI.Throttling.Qps',
		'Trigger current QPS limit, pay API please buy higher QPS, the free API if you have special requirements, please contact us through the DingTalk group (62730018475).',
		'ccai',
	);
}

const missing = (name: string) =>
	new ApiError(403, 'CCAI.ParamNotfound.MissParam', `Parameter verification failed, The specified parameter ${name} is missing.`, 'ccai');
const illegal = (name: string) =>
	new ApiError(400, 'CCAI.ParamInvalid.IllegalParamValue', `The parameter value of the request API is illegal ${name}.`, 'ccai');
const notExist = (name: string) =>
	new ApiError(400, 'CCAI.InvalidParam.NotExist', `The specified parameter ${name} is not valid.`, 'ccai');

function validSentences(value: unknown, path: string): Sentence[] {
	if (value === undefined || value === null) throw missing(path);
	if (!Array.isArray(value)) throw illegal(path);
	if (value.length === 0) throw missing(path);
	return value.map((raw, i) => {
		const s = (raw ?? {}) as Record<string, unknown>;
		if (s.role === undefined) throw missing(`${path}[${i}].role`);
		if (typeof s.role !== 'string' || !ROLES.includes(s.role)) throw illegal(`${path}[${i}].role`);
		if (s.text === undefined) throw missing(`${path}[${i}].text`);
		if (typeof s.text !== 'string') throw illegal(`${path}[${i}].text`);
		return { role: s.role as Sentence['role'], text: s.text };
	});
}

function validFields(value: unknown): AnalyzeRequest['fields'] {
	if (value === undefined || value === null) return undefined;
	if (!Array.isArray(value)) throw illegal('fields');
	value.forEach((f: Record<string, unknown> | null, i) => {
		if (typeof f?.name !== 'string' || !f.name) throw missing(`fields[${i}].name`);
		if (typeof f.desc !== 'string') throw missing(`fields[${i}].desc`);
	});
	return value as AnalyzeRequest['fields'];
}

/** Checks the body like the real API: `stream` and `resultTypes` are required, enums are enforced. */
export function parseAnalyzeBody(body: unknown): AnalyzeRequest {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) throw illegal('body');
	const b = body as Record<string, unknown>;
	if (b.stream === undefined || b.stream === null) throw missing('stream');
	if (typeof b.stream !== 'boolean') throw illegal('stream');
	if (b.resultTypes === undefined || b.resultTypes === null) throw missing('resultTypes');
	if (!Array.isArray(b.resultTypes)) throw illegal('resultTypes');
	if (b.resultTypes.length === 0) throw missing('resultTypes');
	for (const type of b.resultTypes) {
		if (typeof type !== 'string' || !RESULT_TYPES.includes(type)) throw notExist(`resultTypes: ${String(type)}`);
	}
	if (b.modelCode !== undefined && (typeof b.modelCode !== 'string' || !MODEL_CODES.includes(b.modelCode))) {
		throw illegal('modelCode');
	}
	const dialogue = b.dialogue as Record<string, unknown> | undefined;
	if (dialogue === undefined || dialogue === null) throw missing('dialogue');
	if (typeof dialogue !== 'object') throw illegal('dialogue');
	return {
		...(b as Partial<AnalyzeRequest>),
		stream: b.stream,
		resultTypes: b.resultTypes as string[],
		sentences: validSentences(dialogue.sentences, 'dialogue.sentences'),
		fields: validFields(b.fields),
	};
}

/** Sliding one-second window over admitted calls. */
function overQpsLimit(ctx: ServiceContext, now: number): boolean {
	const limit = ctx.state.ccaiQps;
	if (limit === undefined) return false;
	ctx.state.ccaiWindow = ctx.state.ccaiWindow.filter((t) => now - t < 1000);
	if (ctx.state.ccaiWindow.length >= limit) return true;
	ctx.state.ccaiWindow.push(now);
	return false;
}

function pieces(text: string): string[] {
	const chars = [...text];
	const count = Math.min(5, Math.max(1, chars.length));
	const size = Math.ceil(chars.length / count);
	const out: string[] = [];
	for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
	return out.length > 0 ? out : [''];
}

async function streamAnalysis(ex: Exchange, ctx: ServiceContext, req: AnalyzeRequest, text: string): Promise<void> {
	const fault = ctx.state.faults.take(targetOf(ex), STREAM_FAULTS);
	if (fault?.kind === 'htmlStream') {
		// A gateway or WAF in front of the service answering its own page instead of the stream.
		ex.sendText(
			200,
			'text/html;charset=UTF-8',
			'<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>The upstream server did not answer.</p></body></html>',
		);
		return;
	}
	const writer = new SseWriter(ex, ctx.state.sseGapMs);
	writer.start();
	if (fault?.kind === 'sseFailure') {
		const message = 'The request processing has failed due to some unknown error, exception or failure.';
		await writer.send({
			id: '1',
			event: 'error',
			data: JSON.stringify({
				requestId: ex.requestId,
				success: false,
				errorCode: 'CCAI.InternalError',
				errorInfo: message,
				text: '',
				finishReason: null,
				Code: 'CCAI.InternalError',
				Message: message,
			}),
		});
		writer.end();
		return;
	}
	const parts = pieces(text);
	const cumulative = ctx.state.ccaiStreamMode === 'cumulative';
	// A cut stream never reaches finishReason "stop".
	const count = fault?.kind === 'truncateSse' ? Math.max(1, Math.floor(parts.length / 2)) : parts.length;
	const input = tokenCounts(req, '').inputTokens;
	const { ccaiPendingFinishReason: pending, ccaiStreamTrailer: trailer } = ctx.state.variants;
	let soFar = '';
	for (let i = 0; i < count; i++) {
		if (writer.aborted) return;
		soFar += parts[i];
		const last = i === parts.length - 1;
		const output = [...soFar].length;
		// While generating, finishReason is whatever the variant says; `stop` only on the last text.
		const finish = last ? { finishReason: 'stop' } : PENDING_FINISH[pending];
		// With a trailer, the counts arrive on the event after `stop`, as usage-at-the-end streams do.
		const counts = trailer ? {} : { inputTokens: input, outputTokens: String(output), totalTokens: String(Number(input) + output) };
		await writer.send({
			id: String(i + 1),
			event: 'result',
			comments: ['HTTP_STATUS/200'],
			data: JSON.stringify({
				requestId: ex.requestId,
				success: true,
				errorCode: 'success',
				errorInfo: 'success',
				text: cumulative ? soFar : parts[i],
				...finish,
				...counts,
			}),
		});
	}
	if (trailer && count === parts.length && !writer.aborted) {
		const output = [...soFar].length;
		await writer.send({
			id: String(count + 1),
			event: 'result',
			comments: ['HTTP_STATUS/200'],
			data: JSON.stringify({
				requestId: ex.requestId,
				success: true,
				errorCode: 'success',
				errorInfo: 'success',
				text: cumulative ? soFar : '',
				...PENDING_FINISH[pending],
				inputTokens: input,
				outputTokens: String(output),
				totalTokens: String(Number(input) + output),
			}),
		});
		await writer.send({ data: '[DONE]' });
	}
	writer.end();
}

/** POST /{workspaceId}/ccai/app/{appId}/analyze_conversation */
export async function analyzeConversation(ex: Exchange, ctx: ServiceContext, workspaceId: string, appId: string): Promise<void> {
	if (overQpsLimit(ctx, Date.now())) throw ccaiThrottled();
	if (workspaceId !== FIXTURES.ccai.workspaceId) {
		throw new ApiError(
			403,
			'CCAI.TenantPermission.NoAuth',
			'The current account does not have the permission to specify the business space. Please authorize the business space permission.',
			'ccai',
		);
	}
	if (appId !== FIXTURES.ccai.appId) {
		throw new ApiError(403, 'CCAI.IllegalPermission.NoAuth', `User not authorized to operate on the specified resource ${appId} .`, 'ccai');
	}
	const req = parseAnalyzeBody(ex.json());
	const text = analysisText(req);
	if (req.stream) {
		await streamAnalysis(ex, ctx, req, text);
		return;
	}
	ex.sendJson(200, {
		requestId: ex.requestId,
		success: true,
		errorCode: 'success',
		errorInfo: 'success',
		text,
		finishReason: 'stop',
		...tokenCounts(req, text),
	});
}
