import { createHash, randomUUID } from 'node:crypto';

import type { Exchange } from '../exchange';
import { FIXTURES } from '../fixture-ids';
import type { ServiceContext } from '../service-context';
import { SseWriter } from '../sse-writer';
import type { FaultKind } from '../types';
import { targetOf } from '../faults';
import type { ApiVariants } from '../variants';
import { planAnswer, type PlannedAnswer } from './chatbot-answers';

const TIMESTAMP_WINDOW_MS = 15 * 60 * 1000;
const STREAM_FAULTS: readonly FaultKind[] = ['htmlStream', 'expireStreamToken', 'truncateSse', 'sseFailure'];

export function applyForStreamAccessToken(ex: Exchange, ctx: ServiceContext): void {
	const token = ctx.state.chatbot.issue(ex.query.AgentKey ?? '');
	ex.sendJson(200, {
		RequestId: ex.requestId,
		AccessToken: token.accessToken,
		ChannelId: token.channelId,
		StreamSecret: token.streamSecret,
	});
}

export function streamSign(streamSecret: string, timestamp: string): string {
	return createHash('md5').update(`streamSecret=${streamSecret}&timestamp=${timestamp}`, 'utf8').digest('hex');
}

/** What alime-ws answers when the URL's token, channel, sign or timestamp is wrong (per the doc: "返回HTML代码"). */
function sendHtmlPage(ex: Exchange, ctx: ServiceContext): void {
	ex.sendText(
		ctx.state.variants.chatbotHtmlStatus,
		'text/html;charset=UTF-8',
		'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Error</title></head><body>' +
			'<h1>Whitelabel Error Page</h1><p>This application has no explicit mapping for /error, so you are seeing this as a fallback.</p>' +
			'<div>There was an unexpected error (type=Forbidden, status=403).</div><div>Access denied</div></body></html>',
	);
}

interface StreamUrl {
	accessToken: string;
	channelId: string;
	sign: string;
	timestamp: string;
}

function parseStreamUrl(rawPath: string): StreamUrl | undefined {
	const match = /^\/sse\/paas4Json\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)\/?$/.exec(rawPath);
	if (!match) return undefined;
	const [accessToken, channelId, sign, timestamp] = match.slice(1).map((s) => decodeURIComponent(s));
	return { accessToken, channelId, sign, timestamp };
}

function urlIsValid(ctx: ServiceContext, url: StreamUrl | undefined, now: number): boolean {
	if (!url) return false;
	const token = ctx.state.chatbot.valid(url.accessToken, now);
	if (!token || token.channelId !== url.channelId) return false;
	if (!/^\d{10,16}$/.test(url.timestamp) || Math.abs(now - Number(url.timestamp)) > TIMESTAMP_WINDOW_MS) return false;
	return url.sign === streamSign(token.streamSecret, url.timestamp);
}

interface ChatRequest {
	messageId: string;
	InstanceId: string;
	Utterance: string;
	SessionId?: string;
}

class ChatInputError extends Error {
	constructor(
		readonly code: string,
		message: string,
		readonly messageId: string,
	) {
		super(message);
	}
}

function parseChatRequest(body: unknown): ChatRequest {
	const envelope = (body ?? {}) as Record<string, unknown>;
	const messageId = typeof envelope.messageId === 'string' ? envelope.messageId : '';
	const fail = (message: string, code = 'InvalidParameter') => new ChatInputError(code, message, messageId);
	if (typeof body !== 'object' || body === null) throw fail('The request body must be JSON.');
	if (!messageId) throw fail('messageId is required.');
	if (envelope.action !== 'TongyiBeebotChat') throw fail('action must be TongyiBeebotChat.');
	if (envelope.version !== '2022-04-08') throw fail('version must be 2022-04-08.');
	const data = Array.isArray(envelope.data) ? (envelope.data[0] as Record<string, unknown> | undefined) : undefined;
	if (!data || data.type !== 'JSON_TEXT' || typeof data.value !== 'string') {
		throw fail('data must be [{"type":"JSON_TEXT","value":"<json>"}].');
	}
	let value: Record<string, unknown>;
	try {
		value = JSON.parse(data.value) as Record<string, unknown>;
	} catch {
		throw fail('data[0].value is not valid JSON.');
	}
	if (typeof value.InstanceId !== 'string' || !value.InstanceId) throw fail('InstanceId is required.');
	if (typeof value.Utterance !== 'string' || !value.Utterance) throw fail('Utterance is required.');
	if ([...value.Utterance].length > FIXTURES.chatbot.maxUtteranceLength) {
		throw fail(`Utterance must not exceed ${FIXTURES.chatbot.maxUtteranceLength} characters.`);
	}
	if (value.InstanceId !== FIXTURES.chatbot.instanceId) {
		throw fail(`The chatbot instance ${value.InstanceId} does not exist.`, 'InstanceNotFound');
	}
	return {
		messageId,
		InstanceId: value.InstanceId,
		Utterance: value.Utterance,
		SessionId: typeof value.SessionId === 'string' && value.SessionId ? value.SessionId : undefined,
	};
}

function hexId(): string {
	return randomUUID().replace(/-/g, '');
}

function envelope(value: Record<string, unknown>, messageId: string, requestId: string): string {
	return JSON.stringify({
		data: [{ type: 'JSON_TEXT', value: JSON.stringify(value) }],
		messageId,
		requestId,
		success: true,
	});
}

function failureEvent(code: string, message: string, messageId: string): string {
	return JSON.stringify({ code, message, messageId, requestId: randomUUID(), success: false });
}

/** Builds the `data:` payloads in the seed's exact shape; the first has no MessageBody. */
function answerEvents(plan: PlannedAnswer, sessionId: string, messageId: string, variants: ApiVariants): string[] {
	const answerId = randomUUID();
	const commands = plan.commands ? { Commands: plan.commands } : {};
	const nested = variants.chatbotCommandsAt === 'direct';
	return plan.steps.map((step, index) => {
		const value: Record<string, unknown> =
			step.content === undefined
				? { IsAIGC: false, MessageId: answerId, SequenceId: hexId(), SessionId: sessionId, StreamEnd: step.end }
				: {
						IsAIGC: true,
						MessageBody: {
							DirectMessageBody: {
								ContentType: 'RICH_TEXT',
								Ext: {},
								SentenceList: [{ Content: step.content }],
								...(nested ? commands : {}),
							},
							Type: 'Direct',
							VoiceConfig: {},
						},
						MessageId: answerId,
						QuerySegList: plan.querySegList,
						SequenceId: hexId(),
						SessionId: sessionId,
						Source: plan.source,
						StreamEnd: step.end,
						...(nested ? {} : commands),
					};
		return envelope(value, messageId, index === 0 ? answerId : randomUUID());
	});
}

/** POST /sse/paas4Json/{AccessToken}/{ChannelId}/{Sign}/{Timestamp} (unsigned; the URL is the credential). */
export async function chatStream(ex: Exchange, ctx: ServiceContext): Promise<void> {
	const url = parseStreamUrl(ex.rawPath);
	if (ex.method !== 'POST' || !urlIsValid(ctx, url, Date.now())) {
		sendHtmlPage(ex, ctx);
		return;
	}
	const fault = ctx.state.faults.take(targetOf(ex), STREAM_FAULTS);
	if (fault?.kind === 'htmlStream') {
		sendHtmlPage(ex, ctx);
		return;
	}
	if (fault?.kind === 'expireStreamToken') {
		ctx.state.chatbot.revoke(url!.accessToken);
		sendHtmlPage(ex, ctx);
		return;
	}

	const writer = new SseWriter(ex, ctx.state.sseGapMs);
	let request: ChatRequest;
	try {
		request = parseChatRequest(ex.json() ?? ex.body.toString('utf8'));
	} catch (error) {
		if (!(error instanceof ChatInputError)) throw error;
		writer.start();
		await writer.send({ data: failureEvent(error.code, error.message, error.messageId) });
		writer.end();
		return;
	}

	writer.start();
	if (fault?.kind === 'sseFailure') {
		await writer.send({
			data: failureEvent('InternalError', 'The request processing has failed due to some unknown error.', request.messageId),
		});
		writer.end();
		return;
	}
	const sessionId = request.SessionId ?? hexId();
	const session = ctx.state.chatbot.nextTurn(sessionId);
	const plan = planAnswer(request.Utterance, session.turns, session.lastUtterance);
	session.lastUtterance = request.Utterance;

	let events = answerEvents(plan, sessionId, request.messageId, ctx.state.variants);
	// A cut stream stops before the StreamEnd event, as when the upstream model connection breaks.
	if (fault?.kind === 'truncateSse') events = events.slice(0, Math.max(1, Math.floor(events.length / 2)));
	for (const data of events) {
		if (writer.aborted) return;
		await writer.send({ data });
	}
	writer.end();
}
