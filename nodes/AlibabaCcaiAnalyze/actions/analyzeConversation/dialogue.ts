import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { isSentenceRole, type SentenceRole } from '../../../shared/conversation';

export interface DialogueSentence {
	role: SentenceRole;
	text: string;
}

export interface Dialogue {
	sentences: DialogueSentence[];
	sessionId?: string;
}

type DialogueSource = 'inputConversation' | 'manual' | 'json';

function fail(ctx: IExecuteFunctions, itemIndex: number, message: string, description?: string): never {
	throw new NodeOperationError(ctx.getNode(), `Input item ${itemIndex}: ${message}`, { itemIndex, description });
}

/**
 * The item carries no conversation at all (an unanswered call, a call whose log never came).
 * Kept apart from malformed input so the node can skip it with a note instead of failing:
 * there is nothing to analyze, and nothing to fix in the workflow.
 */
export class EmptyConversationError extends NodeOperationError {
	/** What was empty, without the item prefix, for the note in the output item. */
	readonly reason: string;

	/** The conversation field was absent, not just empty: a hint says so when every item is like that. */
	readonly fieldMissing: boolean;

	constructor(ctx: IExecuteFunctions, itemIndex: number, reason: string, description: string, fieldMissing = false) {
		super(ctx.getNode(), `Input item ${itemIndex}: ${reason}`, { itemIndex, description });
		this.reason = reason;
		this.fieldMissing = fieldMissing;
	}
}

function failEmpty(
	ctx: IExecuteFunctions,
	itemIndex: number,
	reason: string,
	description: string,
	fieldMissing = false,
): never {
	throw new EmptyConversationError(ctx, itemIndex, reason, description, fieldMissing);
}

const EMPTY_HINT =
	'An unanswered or failed call has no transcript. Leave the option On Empty Conversation at Skip With a Note to pass such items on unanalyzed, or filter them out before this node.';

function readPath(data: IDataObject, path: string): unknown {
	if (path in data) return data[path];
	let current: unknown = data;
	for (const key of path.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as IDataObject)[key];
	}
	return current;
}

function sessionIdOf(value: unknown): string | undefined {
	if (typeof value === 'string' && value.trim()) return value.trim();
	if (typeof value === 'number') return String(value);
	return undefined;
}

/** A conversation object (`{sessionId, sentences}`) or a bare sentence array, as JSON text or parsed. */
function unwrap(
	ctx: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	where: string,
): { sentences: unknown; sessionId?: string } {
	let parsed = value;
	if (typeof value === 'string') {
		if (!value.trim()) failEmpty(ctx, itemIndex, `${where} is empty, so there is no conversation to analyze`, EMPTY_HINT);
		try {
			parsed = JSON.parse(value);
		} catch (error) {
			fail(
				ctx,
				itemIndex,
				`${where} is not valid JSON (${(error as Error).message})`,
				'Give an array of {"role": "user" | "agent" | "system", "text": "..."} objects.',
			);
		}
	}
	if (Array.isArray(parsed)) return { sentences: parsed };
	if (parsed && typeof parsed === 'object') {
		const record = parsed as IDataObject;
		return { sentences: record.sentences, sessionId: sessionIdOf(record.sessionId) };
	}
	return { sentences: undefined };
}

/**
 * Checks every sentence before any call, so a bad item costs nothing and says exactly what to
 * fix. Blank sentences are dropped: they carry nothing to analyze and the API requires text.
 */
export function validateSentences(
	ctx: IExecuteFunctions,
	itemIndex: number,
	raw: unknown,
	where: string,
	maxCharacters: number,
): DialogueSentence[] {
	if (raw === undefined || raw === null) {
		failEmpty(
			ctx,
			itemIndex,
			`${where} has no sentences, so there is no conversation to analyze`,
			'Expected {sentences: [{role, text}]} or an array of {role, text}. Check the Dialogue Source and that the previous node returned a conversation.',
		);
	}
	if (!Array.isArray(raw)) {
		fail(ctx, itemIndex, `${where}: sentences must be an array of {role, text}, not ${typeof raw}`);
	}
	const sentences: DialogueSentence[] = [];
	let characters = 0;
	raw.forEach((entry: unknown, index) => {
		if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
			fail(ctx, itemIndex, `sentences[${index}] is not a {role, text} object`);
		}
		const { role: rawRole, text: rawText } = entry as IDataObject;
		const role = typeof rawRole === 'string' ? rawRole.trim().toLowerCase() : rawRole;
		if (!isSentenceRole(role)) {
			fail(
				ctx,
				itemIndex,
				`sentences[${index}] has role ${JSON.stringify(rawRole ?? null)}, but ContactCenterAI accepts only "user", "agent" or "system"`,
				'Map the roles before this node (e.g. customer → user, seat or bot → agent). Conversations from Alibaba ICE Archive and Alibaba Dialog Detail already use these roles.',
			);
		}
		if (typeof rawText !== 'string' && typeof rawText !== 'number') {
			fail(ctx, itemIndex, `sentences[${index}] has no text`);
		}
		const text = String(rawText);
		if (!text.trim()) return;
		characters += [...text].length;
		sentences.push({ role, text });
	});
	if (sentences.length === 0) {
		failEmpty(ctx, itemIndex, `${where} is empty (no sentence with text), so there is nothing to analyze`, EMPTY_HINT);
	}
	if (maxCharacters > 0 && characters > maxCharacters) {
		fail(
			ctx,
			itemIndex,
			`the dialogue has ${characters} characters, more than Max Dialogue Characters (${maxCharacters})`,
			'Analyze a shorter part of the conversation, or raise the option Max Dialogue Characters (0 turns the check off) if the model can take it.',
		);
	}
	return sentences;
}

/** Reads the item's dialogue from the chosen source and validates it. */
export function readDialogue(ctx: IExecuteFunctions, itemIndex: number, maxCharacters: number): Dialogue {
	const source = ctx.getNodeParameter('dialogueSource', itemIndex, 'inputConversation') as DialogueSource;
	let found: { sentences: unknown; sessionId?: string };
	let where: string;
	if (source === 'manual') {
		const rows = ctx.getNodeParameter('manualDialogue.sentences', itemIndex, []) as IDataObject[];
		where = 'Sentences';
		found = { sentences: rows };
	} else if (source === 'json') {
		where = 'Dialogue (JSON)';
		found = unwrap(ctx, itemIndex, ctx.getNodeParameter('dialogueJson', itemIndex), where);
	} else {
		const field = (ctx.getNodeParameter('conversationField', itemIndex, 'conversation') as string).trim();
		where = `The input field "${field}"`;
		const value = readPath(ctx.getInputData()[itemIndex].json, field);
		if (value === undefined || value === null) {
			failEmpty(
				ctx,
				itemIndex,
				`the item has no "${field}" field, so there is no conversation to analyze`,
				'Connect Alibaba ICE Archive or Alibaba Dialog Detail before this node, set Conversation Field to where the conversation is, or choose another Dialogue Source.',
				true,
			);
		}
		found = unwrap(ctx, itemIndex, value, where);
	}
	const sentences = validateSentences(ctx, itemIndex, found.sentences, where, maxCharacters);
	return { sentences, ...(found.sessionId ? { sessionId: found.sessionId } : {}) };
}
