import type { IDataObject } from 'n8n-workflow';

export type ConversationSource = 'ice' | 'dianjin' | 'chatbot';

export type SentenceRole = 'user' | 'agent' | 'system';

export const SENTENCE_ROLES: readonly SentenceRole[] = ['user', 'agent', 'system'];

/** One utterance. Extra keys a source knows (seat type, intent…) ride along beside these. */
export interface ConversationSentence extends IDataObject {
	role: SentenceRole;
	text: string;
	/** Seconds from the start of the call, when the source says. */
	begin?: number;
	id?: string | number;
	type?: string;
}

/**
 * The one shape every node emits and CCAI Analyze accepts, so "archive, then analyze"
 * needs no mapping in between. Sentences are in spoken order.
 */
export interface Conversation extends IDataObject {
	source: ConversationSource;
	sessionId?: string;
	/** ICE only: the AI agent instance (one call); a different key from its SessionId. */
	instanceId?: string;
	/** ISO 8601. */
	startedAt?: string;
	sentences: ConversationSentence[];
}

export function isSentenceRole(value: unknown): value is SentenceRole {
	return typeof value === 'string' && (SENTENCE_ROLES as readonly string[]).includes(value);
}

/**
 * True when every sentence has a numeric `begin` and `id` (then the order below is a plain
 * lexicographic one) and they already follow it: the sort would change nothing.
 */
function isInSpokenOrder(sentences: ConversationSentence[]): boolean {
	// Each field read once: until this loop is optimised, every read of a fractional `begin` allocates a number.
	let previousBegin = -Infinity;
	let previousId = -Infinity;
	for (let i = 0; i < sentences.length; i++) {
		const { begin, id } = sentences[i];
		if (typeof begin !== 'number' || typeof id !== 'number') return false;
		if (previousBegin > begin || (previousBegin === begin && previousId > id)) return false;
		previousBegin = begin;
		previousId = id;
	}
	return true;
}

/** Stable sort by `begin`, then `id`; sentences without either keep their source order. */
export function inSpokenOrder(sentences: ConversationSentence[]): ConversationSentence[] {
	// Logs are nearly always written in order already; checking is cheaper than a keyed copy of every sentence.
	if (isInSpokenOrder(sentences)) return sentences;
	const keyed = sentences.map((sentence, index) => ({ sentence, index }));
	keyed.sort((a, b) => {
		const ab = a.sentence.begin;
		const bb = b.sentence.begin;
		if (typeof ab === 'number' && typeof bb === 'number' && ab !== bb) return ab - bb;
		const ai = a.sentence.id;
		const bi = b.sentence.id;
		if (typeof ai === 'number' && typeof bi === 'number' && ai !== bi) return ai - bi;
		return a.index - b.index;
	});
	return keyed.map(({ sentence }) => sentence);
}
