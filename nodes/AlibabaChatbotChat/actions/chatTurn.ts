import { randomUUID } from 'node:crypto';

import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { AlibabaClient, SseEvent } from '../../shared/transport';
import { AnswerState } from '../helpers/answer';
import { AnswerStreamer } from '../helpers/answerStreamer';
import { type ChatRequest, chatBody, chatOperation, openChatStream, parseChatEvent } from '../transport/chatStream';
import type { StreamTokenSource } from '../transport/streamAccessToken';

export interface TurnContext {
	client: AlibabaClient;
	tokens: StreamTokenSource;
	itemIndex: number;
	includeEvents: boolean;
	streaming: boolean;
}

/**
 * Opens the stream with the cached token; when alime-ws refuses it (expired or revoked), one
 * new token is tried for the same message before giving up.
 */
async function openWithRenewal(turn: TurnContext, body: IDataObject): Promise<AsyncGenerator<SseEvent>> {
	for (let attempt = 0; attempt < 2; attempt++) {
		const token = await turn.tokens.get();
		const opened = await openChatStream(turn.client, token, body);
		if (!opened.rejected) return opened.events;
		turn.tokens.reject(token);
	}
	return turn.client.fail({
		code: 'StreamRejected',
		message:
			'The chatbot stream refused the request twice (it answered an HTML page instead of events), even with a new access token. Check the Chatbot Stream endpoint in the credential, that the Agent Key belongs to this account, and that the n8n server clock is correct.',
		operation: chatOperation(turn.client),
	});
}

async function readAnswer(
	turn: TurnContext,
	stream: AsyncGenerator<SseEvent>,
	streamer: AnswerStreamer,
): Promise<{ state: AnswerState; events: IDataObject[] }> {
	const state = new AnswerState();
	const events: IDataObject[] = [];
	let count = 0;
	for await (const event of stream) {
		count++;
		const parsed = parseChatEvent(turn.client, event);
		for (const value of parsed.values) {
			state.apply(value);
			if (turn.includeEvents) events.push({ RequestId: parsed.requestId ?? null, ...value });
		}
		await streamer.update(state.text);
		if (state.ended) break;
	}
	if (!state.ended) {
		turn.client.fail({
			code: 'StreamIncomplete',
			message: `The chatbot stream ended after ${count} event(s) without its final event (StreamEnd), so the answer is incomplete. Run the node again; if it keeps happening, the bot may be timing out.`,
			operation: chatOperation(turn.client),
		});
	}
	return { state, events };
}

/** One message: token, stream, and the cumulative events folded into the final answer. */
export async function sendChatTurn(ctx: IExecuteFunctions, turn: TurnContext, request: ChatRequest): Promise<IDataObject> {
	// One id for the message, kept across retries: the API uses it to recognise a repeat.
	const messageId = randomUUID();
	const stream = await openWithRenewal(turn, chatBody(messageId, request));
	const streamer = new AnswerStreamer(ctx, turn.itemIndex, turn.streaming);
	await streamer.begin();
	let answer: Awaited<ReturnType<typeof readAnswer>>;
	try {
		answer = await readAnswer(turn, stream, streamer);
		await streamer.complete(answer.state.text);
	} finally {
		await streamer.end();
	}
	const { state, events } = answer;
	return {
		answer: state.text,
		sessionId: state.sessionId ?? request.SessionId ?? null,
		messageId: state.messageId ?? null,
		answerType: state.answerType ?? null,
		answerSource: state.answerSource ?? null,
		contentType: state.contentType ?? null,
		aiGenerated: state.aiGenerated ?? null,
		commands: state.commands,
		transferToHuman: 'sysToAgent' in state.commands,
		utterance: request.Utterance,
		requestMessageId: messageId,
		...(turn.includeEvents ? { events } : {}),
	};
}
