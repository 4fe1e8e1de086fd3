import { type IDataObject, NodeApiError } from 'n8n-workflow';

import type { AlibabaClient, SseEvent } from '../../shared/transport';
import type { ChatEventValue } from '../helpers/answer';
import { CHAT_ACTION, CHATBOT_API_VERSION } from './constants';
import { streamSign, streamUrl } from './streamSign';
import type { StreamAccessToken } from './tokenCache';

/** The fields of TongyiBeebotChat's `value`; undefined ones are left out. */
export interface ChatRequest {
	InstanceId: string;
	Utterance: string;
	SessionId?: string;
	SenderId?: string;
	SenderNick?: string;
	/** A JSON object serialized to a string, as the API wants it. */
	VendorParam?: string;
	Perspective?: string[];
	SandBox?: boolean;
	Command?: 'TIMEOUT' | 'GUIDEPOST';
}

export function chatBody(messageId: string, request: ChatRequest): IDataObject {
	const value = Object.fromEntries(Object.entries(request).filter(([, field]) => field !== undefined));
	return {
		messageId,
		action: CHAT_ACTION,
		version: CHATBOT_API_VERSION,
		data: [{ type: 'JSON_TEXT', value: JSON.stringify(value) }],
	};
}

export type OpenedStream = { rejected: true } | { rejected: false; events: AsyncGenerator<SseEvent> };

export function chatOperation(client: AlibabaClient): string {
	return client.operationName('chatbotStream', CHAT_ACTION);
}

/**
 * POSTs one message. alime-ws answers an HTML page when it does not accept the URL's token,
 * channel, sign or timestamp. The doc names no status, and a Spring error page usually
 * carries its real one (403), so an HTML page with any status comes back as `rejected`: the
 * caller renews the token once, and the URL never reaches an error.
 */
export async function openChatStream(
	client: AlibabaClient,
	token: StreamAccessToken,
	body: IDataObject,
	now: number = Date.now(),
): Promise<OpenedStream> {
	const sign = streamSign(token.streamSecret, now);
	client.addSecret(sign);
	const url = streamUrl(client.baseUrl('chatbotStream'), token, sign, now);
	let rejected = false;
	const onHtml = () => {
		rejected = true;
		return {
			code: 'StreamRejected',
			message: 'The chatbot stream answered an HTML page instead of events.',
			operation: chatOperation(client),
		};
	};
	// Errors other than the HTML page are the client's NodeApiErrors and pass through unchanged.
	return await client.postForEvents(chatOperation(client), url, body, onHtml).then(
		(events): OpenedStream => ({ rejected: false, events }),
		(error: unknown): OpenedStream => {
			if (rejected) return { rejected: true };
			const code = error instanceof NodeApiError ? error.errorResponse?.Code : undefined;
			if (typeof code === 'string' && /^(E[A-Z_]+|RequestFailed)$/.test(code)) {
				(error as NodeApiError).description =
					'The connection to the chatbot stream was lost before an answer arrived. A message that may have reached the bot is not posted again. Check that n8n can reach the Chatbot Stream endpoint of the credential (by default https://alime-ws.aliyuncs.com) and run the node again.';
			}
			throw error;
		},
	);
}

interface Envelope {
	success?: boolean;
	code?: string;
	message?: string;
	requestId?: string;
	data?: Array<{ type?: string; value?: unknown }>;
}

export interface ParsedEvent {
	requestId?: string;
	values: ChatEventValue[];
}

/** Reads one `data:` payload; a `success:false` event or one that is not JSON is an error. */
export function parseChatEvent(client: AlibabaClient, event: SseEvent): ParsedEvent {
	const operation = chatOperation(client);
	let envelope: Envelope;
	try {
		envelope = JSON.parse(event.data) as Envelope;
	} catch {
		return client.fail({
			code: 'InvalidStreamEvent',
			message: `The chatbot stream sent an event that is not JSON: ${event.data.slice(0, 200)}`,
			operation,
		});
	}
	if (envelope?.success === false) {
		const code = envelope.code || 'ChatFailed';
		const advice =
			code === 'InstanceNotFound'
				? ' Check the Instance ID and that the bot belongs to the workspace of the Agent Key.'
				: code === 'InvalidParameter'
					? ' Check the message and the options.'
					: ' Run the node again; if it keeps failing, check the bot in the Alibaba Cloud Chatbot console.';
		return client.fail({
			code,
			message: `The chatbot answered with an error: ${(envelope.message || 'no message').replace(/[.。]+$/, '')}.${advice}`,
			requestId: envelope.requestId,
			operation,
		});
	}
	const values: ChatEventValue[] = [];
	for (const part of Array.isArray(envelope?.data) ? envelope.data : []) {
		if (typeof part?.value !== 'string') continue;
		try {
			values.push(JSON.parse(part.value) as ChatEventValue);
		} catch {
			return client.fail({
				code: 'InvalidStreamEvent',
				message: 'The chatbot stream sent an event whose data value is not JSON.',
				requestId: envelope.requestId,
				operation,
			});
		}
	}
	return { requestId: envelope.requestId, values };
}
