import type { IDataObject } from 'n8n-workflow';

import { type Conversation, conversationFromIceDialogues } from '../shared/conversation';
import { isPlainObject } from './callbackBody';

const ENVELOPE_FIELDS = ['event', 'instanceId', 'aiAgentId', 'data'];

/**
 * The per-event `data` schemas are not published (reference 1.5), so fields are looked up under
 * the names seen in the documentation's fragments and in ListAIAgentDialogues, in camelCase or
 * PascalCase; whatever is found is copied, nothing is made up.
 */
const ROLE_FIELDS = ['role', 'producer'];
const TEXT_FIELDS = ['text', 'asrText', 'sentence'];
const AUDIO_FIELDS = ['audioUrl', 'url', 'ossUrl', 'audio'];

function firstField(data: IDataObject, names: string[]): unknown {
	for (const name of names) {
		for (const key of [name, name.charAt(0).toUpperCase() + name.slice(1)]) {
			const value = data[key];
			if (value !== undefined && value !== null && value !== '') return value;
		}
	}
	return undefined;
}

/** `data` is documented as JSON; some senders put it in a string. */
function dataObject(data: unknown): IDataObject | undefined {
	if (isPlainObject(data)) return data;
	if (typeof data !== 'string') return undefined;
	try {
		const parsed: unknown = JSON.parse(data);
		return isPlainObject(parsed) ? parsed : undefined;
	} catch {
		return undefined;
	}
}

function idOf(value: unknown): string | null {
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return String(value);
	return null;
}

/**
 * A message-chat record carries `dialogues`; a single dialogue entry is read as one sentence.
 * `sessionId` only when the callback names one: the instance id is another key (ICE keeps a
 * separate SessionId), so it goes to `instanceId` and never stands in for the session.
 */
function chatConversation(data: IDataObject, instanceId: string | null): Conversation | undefined {
	const dialogues = firstField(data, ['dialogues']);
	const sessionId = idOf(firstField(data, ['sessionId'])) ?? undefined;
	let conversation: Conversation | undefined;
	if (Array.isArray(dialogues)) conversation = conversationFromIceDialogues(dialogues.filter(isPlainObject), sessionId);
	else if (typeof firstField(data, ['text']) === 'string') conversation = conversationFromIceDialogues([data], sessionId);
	if (conversation && instanceId) conversation.instanceId = instanceId;
	return conversation;
}

function audioFields(data: IDataObject, withSentence: boolean): IDataObject {
	const fields: IDataObject = {};
	if (withSentence) {
		const role = firstField(data, ROLE_FIELDS);
		if (typeof role === 'string') fields.role = role.toLowerCase();
		const text = firstField(data, TEXT_FIELDS);
		if (typeof text === 'string') fields.text = text;
	}
	const audio = firstField(data, AUDIO_FIELDS);
	if (audio !== undefined) fields.audio = audio as IDataObject | string;
	return fields;
}

/**
 * One output item per callback: the envelope, the delivery key, `data` exactly as received, any other top-level
 * fields the agent sent, and for chat and audio records the fields a workflow needs next.
 */
export function callbackItem(payload: IDataObject, receivedAt: Date, deliveryKey: string): IDataObject {
	const extra = Object.fromEntries(Object.entries(payload).filter(([key]) => !ENVELOPE_FIELDS.includes(key)));
	const event = String(payload.event);
	const instanceId = idOf(payload.instanceId);
	const item: IDataObject = {
		...extra,
		event,
		instanceId,
		aiAgentId: idOf(payload.aiAgentId),
		receivedAt: receivedAt.toISOString(),
		deliveryKey,
		data: payload.data ?? null,
	};
	const data = dataObject(payload.data);
	if (!data) return item;
	if (event === 'chat_record') {
		const conversation = chatConversation(data, instanceId);
		if (conversation) item.conversation = conversation;
	} else if (event === 'audio_record') {
		Object.assign(item, audioFields(data, true));
	} else if (event === 'full_audio_record') {
		Object.assign(item, audioFields(data, false));
	}
	return item;
}
