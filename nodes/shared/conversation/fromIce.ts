import type { IDataObject } from 'n8n-workflow';

import {
	type Conversation,
	type ConversationSentence,
	inSpokenOrder,
	isSentenceRole,
	type SentenceRole,
} from './types';

function toIso(epoch: unknown, unit: 'seconds' | 'milliseconds'): string | undefined {
	const value = typeof epoch === 'string' ? Number(epoch) : epoch;
	if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
	return new Date(unit === 'seconds' ? value * 1000 : value).toISOString();
}

/**
 * The values a log repeats in every sentence, as shared constants: the parsed copies would
 * cost two small strings per sentence, a fifth of a 100 000-sentence conversation's heap.
 */
const ROLES: Readonly<Record<string, SentenceRole>> = { user: 'user', agent: 'agent', system: 'system' };
const TYPES: Readonly<Record<string, string>> = { greeting: 'greeting', normal: 'normal' };

function shared<T extends string>(table: Readonly<Record<string, T>>, value: string): T | string {
	return Object.prototype.hasOwnProperty.call(table, value) ? table[value] : value;
}

/** One entry of a call log's `dialog`: `{id, begin, role, type, text}`. */
export function sentenceFromIceLogEntry(entry: IDataObject): ConversationSentence {
	return sentenceOf(entry.role, entry.text, entry.begin, entry.id, entry.type);
}

/**
 * The same from an entry's members as a streaming parser reads them (keys and values in file
 * order, a repeated key's later value winning as in JSON.parse), so the entry object itself is
 * never built.
 */
export function sentenceFromIceLogMembers(
	keys: string[],
	values: unknown[],
	count: number,
	/** Told the sentence's `begin` and `id` (see SpokenOrderCheck). */
	note?: (begin: unknown, id: unknown) => void,
): ConversationSentence {
	let role: unknown;
	let text: unknown;
	let begin: unknown;
	let id: unknown;
	let type: unknown;
	for (let i = 0; i < count; i++) {
		switch (keys[i]) {
			case 'role':
				role = values[i];
				break;
			case 'text':
				text = values[i];
				break;
			case 'begin':
				begin = values[i];
				break;
			case 'id':
				id = values[i];
				break;
			case 'type':
				type = values[i];
				break;
		}
	}
	note?.(typeof begin === 'number' ? begin : undefined, id);
	return sentenceOf(role, text, begin, id, type);
}

function sentenceOf(rawRole: unknown, rawText: unknown, begin: unknown, id: unknown, type: unknown): ConversationSentence {
	const role = isSentenceRole(rawRole) ? ROLES[rawRole] : 'system';
	const text = typeof rawText === 'string' ? rawText : String(rawText ?? '');
	if (typeof begin === 'number' && (typeof id === 'number' || typeof id === 'string') && typeof type === 'string') {
		// The usual sentence in one literal: one object with its fields inside, no extra property store.
		return { role, text, begin, id, type: shared(TYPES, type) };
	}
	const sentence: ConversationSentence = { role, text };
	if (typeof begin === 'number') sentence.begin = begin;
	if (id !== undefined) sentence.id = id as string | number;
	if (typeof type === 'string') sentence.type = shared(TYPES, type);
	return sentence;
}

/**
 * A call log's conversation from its top-level fields (`instanceid`, `startTime`…) and its
 * already mapped sentences, so a reader that maps while parsing never holds the raw dialog.
 *
 * `sessionId` is the instance's `SessionId` (the key List Dialogues and CCAI mean by a
 * session) and is left out when the API gave none: the instance id is a different key, so
 * it goes to `instanceId` (the caller's, else the log's own `instanceid`), never to `sessionId`.
 */
export function conversationFromIceLogParts(
	header: IDataObject,
	sentences: ConversationSentence[],
	sessionId?: string,
	instanceId?: string,
): Conversation {
	const conversation: Conversation = { source: 'ice', sentences: inSpokenOrder(sentences) };
	if (sessionId) conversation.sessionId = sessionId;
	const instance = instanceId || (typeof header.instanceid === 'string' ? header.instanceid.trim() : undefined);
	if (instance) conversation.instanceId = instance;
	const startedAt = toIso(header.startTime, 'seconds');
	if (startedAt) conversation.startedAt = startedAt;
	return conversation;
}

/**
 * The JSON behind `Instance.CallLogUrl`: `{instanceid, startTime (epoch seconds, fractional),
 * agentUserId, remoteUserId, dialog: [{id, begin, role, type, text}]}`.
 */
export function conversationFromIceCallLog(callLog: IDataObject, sessionId?: string, instanceId?: string): Conversation {
	const dialog = Array.isArray(callLog.dialog) ? (callLog.dialog as IDataObject[]) : [];
	return conversationFromIceLogParts(callLog, dialog.map(sentenceFromIceLogEntry), sessionId, instanceId);
}

/**
 * ListAIAgentDialogues items (and the agent's real-time `chat_record` callbacks, which use
 * the same fields in camelCase): `{DialogueId, RoundId, Producer, Text, Time (ms), Type, …}`.
 */
export function conversationFromIceDialogues(dialogues: IDataObject[], sessionId?: string): Conversation {
	const field = (entry: IDataObject, name: string) =>
		entry[name] ?? entry[name.charAt(0).toLowerCase() + name.slice(1)];
	const timed = dialogues.map((entry, index) => {
		const producer = field(entry, 'Producer');
		const time = Number(field(entry, 'Time'));
		const sentence: ConversationSentence = {
			role: isSentenceRole(producer) ? producer : 'system',
			text: String(field(entry, 'Text') ?? ''),
		};
		const id = field(entry, 'DialogueId');
		if (id !== undefined) sentence.id = id as string;
		const type = field(entry, 'Type');
		if (typeof type === 'string') sentence.type = type;
		const roundId = field(entry, 'RoundId');
		if (roundId !== undefined) sentence.roundId = roundId as string;
		if (Number.isFinite(time)) sentence.time = time;
		return { sentence, time: Number.isFinite(time) ? time : undefined, index };
	});
	// The API lists newest first by default; a conversation reads oldest first.
	timed.sort((a, b) =>
		a.time !== undefined && b.time !== undefined && a.time !== b.time ? a.time - b.time : a.index - b.index,
	);
	const first = timed.find((entry) => entry.time !== undefined)?.time;
	const conversation: Conversation = { source: 'ice', sentences: timed.map((entry) => entry.sentence) };
	if (sessionId) conversation.sessionId = sessionId;
	if (first !== undefined) conversation.startedAt = toIso(first, 'milliseconds');
	return conversation;
}
