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

/** Lists a reader checked while it built them (SpokenOrderCheck), so they need no second pass. */
const KNOWN_IN_ORDER = new WeakSet<ConversationSentence[]>();

/**
 * isInSpokenOrder as the sentences are built, from the values in hand: a second pass over a big
 * list reads every fractional `begin` again, which costs a number each until the loop is optimised.
 */
export class SpokenOrderCheck {
	private inOrder = true;

	// Typed `unknown` and first undefined, so they hold the caller's numbers as they are: a field
	// that only ever held numbers would store each one unboxed and box it again on every read.
	private previousBegin: unknown = undefined;

	private previousId: unknown = undefined;

	/** Each sentence's `begin` and `id` as it will hold them, in list order. */
	readonly note = (begin: unknown, id: unknown): void => {
		if (!this.inOrder) return;
		if (typeof begin !== 'number' || typeof id !== 'number') {
			this.inOrder = false;
			return;
		}
		const previousBegin = this.previousBegin as number | undefined;
		if (previousBegin !== undefined && (previousBegin > begin || (previousBegin === begin && (this.previousId as number) > id))) {
			this.inOrder = false;
		}
		this.previousBegin = begin;
		this.previousId = id;
	};

	/** Marks `sentences` (every noted sentence, nothing else) when they were in order. */
	settle(sentences: ConversationSentence[]): void {
		if (this.inOrder) KNOWN_IN_ORDER.add(sentences);
	}
}

/** Stable sort by `begin`, then `id`; sentences without either keep their source order. */
export function inSpokenOrder(sentences: ConversationSentence[]): ConversationSentence[] {
	// Logs are nearly always written in order already; checking is cheaper than a keyed copy of every sentence.
	if (KNOWN_IN_ORDER.has(sentences) || isInSpokenOrder(sentences)) return sentences;
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
