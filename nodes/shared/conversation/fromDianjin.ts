import type { IDataObject } from 'n8n-workflow';

import type { Conversation, ConversationSentence } from './types';

const SEAT_TYPES: Record<string, string> = { '0': 'bot', '1': 'human' };

/** `yyyy-MM-dd HH:mm:ss` in Beijing time, where DianJin runs. */
function beijingToIso(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const match = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})$/.exec(value.trim());
	if (!match) return undefined;
	return new Date(`${match[1]}T${match[2]}+08:00`).toISOString();
}

/** GetDialogDetail's `dialogueList`: role "0" is the customer, "1" the seat (bot or human). */
export function conversationFromDianjinDialogues(
	dialogueList: IDataObject[],
	sessionId?: string,
	gmtCreate?: string,
): Conversation {
	const sentences: ConversationSentence[] = dialogueList.map((entry) => {
		const role = String(entry.role);
		const sentence: ConversationSentence = {
			role: role === '0' ? 'user' : role === '1' ? 'agent' : 'system',
			text: String(entry.content ?? ''),
		};
		if (entry.id !== undefined) sentence.id = entry.id as number;
		if (typeof entry.type === 'string') sentence.type = entry.type;
		if (role === '1' && entry.customerServiceType !== undefined) {
			sentence.seatType = SEAT_TYPES[String(entry.customerServiceType)] ?? String(entry.customerServiceType);
		}
		if (entry.intentCode) sentence.intentCode = entry.intentCode as string;
		if (entry.intentName) sentence.intentName = entry.intentName as string;
		return sentence;
	});
	const conversation: Conversation = { source: 'dianjin', sentences };
	if (sessionId) conversation.sessionId = sessionId;
	const startedAt = beijingToIso(gmtCreate);
	if (startedAt) conversation.startedAt = startedAt;
	return conversation;
}
