import type { IDataObject } from 'n8n-workflow';

/** The parsed `value` of one stream event (a TongyiBeebotChat result). */
export interface ChatEventValue extends IDataObject {
	SessionId?: string;
	MessageId?: string;
	StreamEnd?: boolean;
	IsAIGC?: boolean;
	Source?: string;
	MessageBody?: IDataObject;
	Commands?: IDataObject;
}

function asObject(value: unknown): IDataObject | undefined {
	return value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : undefined;
}

function sentenceText(body: IDataObject | undefined): string | undefined {
	const sentences = body?.SentenceList;
	if (!Array.isArray(sentences)) return undefined;
	return sentences.map((sentence) => String(asObject(sentence)?.Content ?? '')).join('');
}

/**
 * The whole answer so far, or undefined when the event carries no body (the first event of a
 * stream has none). Clarify answers keep their text in ClarifyContent.
 */
export function answerTextOf(value: ChatEventValue): string | undefined {
	const body = asObject(value.MessageBody);
	if (!body) return undefined;
	const direct = sentenceText(asObject(body.DirectMessageBody));
	const clarify = asObject(body.ClarifyMessageBody)?.ClarifyContent;
	if (body.Type === 'Clarify' && typeof clarify === 'string') return clarify;
	if (direct !== undefined) return direct;
	return typeof clarify === 'string' ? clarify : undefined;
}

/** Command values arrive as JSON strings (`sysToAgent: '{"skillGroup":"12"}'`); objects are easier to use. */
export function parseCommands(commands: unknown): IDataObject {
	const result: IDataObject = {};
	for (const [name, raw] of Object.entries(asObject(commands) ?? {})) {
		let value: unknown = raw;
		if (typeof raw === 'string' && /^\s*[[{]/.test(raw)) {
			try {
				value = JSON.parse(raw);
			} catch {
				value = raw;
			}
		}
		result[name] = value as IDataObject[keyof IDataObject];
	}
	return result;
}

/**
 * `Commands` (e.g. `sysToAgent`, hand over to a human) as one event carries them. The stream
 * doc is thin: third-party clients read them at the top of the value, while the non-stream
 * Chat API puts them in the message text object next to `ContentType` and `Ext`, whose
 * stream counterpart is `MessageBody.DirectMessageBody`. Both places are read; a command
 * found in both keeps the direct body's value.
 */
export function commandsOf(value: ChatEventValue): IDataObject {
	const direct = asObject(asObject(value.MessageBody)?.DirectMessageBody)?.Commands;
	return { ...parseCommands(value.Commands), ...parseCommands(direct) };
}

/** Folds the cumulative events into the final answer: each event replaces, never appends. */
export class AnswerState {
	text = '';

	sessionId: string | undefined;

	messageId: string | undefined;

	answerType: string | undefined;

	answerSource: string | undefined;

	contentType: string | undefined;

	aiGenerated: boolean | undefined;

	commands: IDataObject = {};

	ended = false;

	apply(value: ChatEventValue): void {
		if (typeof value.SessionId === 'string' && value.SessionId) this.sessionId = value.SessionId;
		if (typeof value.MessageId === 'string' && value.MessageId) this.messageId = value.MessageId;
		if (typeof value.Source === 'string') this.answerSource = value.Source;
		if (typeof value.IsAIGC === 'boolean') this.aiGenerated = value.IsAIGC;
		const body = asObject(value.MessageBody);
		if (body) {
			if (typeof body.Type === 'string') this.answerType = body.Type;
			const contentType = asObject(body.DirectMessageBody)?.ContentType;
			if (typeof contentType === 'string') this.contentType = contentType;
		}
		const text = answerTextOf(value);
		if (text !== undefined) this.text = text;
		Object.assign(this.commands, commandsOf(value));
		if (value.StreamEnd === true) this.ended = true;
	}
}
