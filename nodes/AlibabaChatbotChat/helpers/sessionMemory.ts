import type { IDataObject } from 'n8n-workflow';

/**
 * Enough for every conversation a busy chat keeps going at once; the least recently used key
 * goes first, so the workflow's static data cannot grow without end.
 */
export const MAX_REMEMBERED_SESSIONS = 1000;

interface Remembered extends IDataObject {
	sessionId: string;
	usedAt: number;
}

/**
 * Which Chatbot session belongs to which conversation of the user's own (e.g. the Chat Trigger's
 * sessionId), kept in the node's static data: n8n saves it after every production execution,
 * so the next message of the same chat continues the same Chatbot session without a Code node.
 */
export class SessionMemory {
	private readonly sessions: Record<string, Remembered>;

	constructor(
		staticData: IDataObject,
		private readonly now: () => number = Date.now,
	) {
		if (!staticData.chatbotSessions || typeof staticData.chatbotSessions !== 'object') staticData.chatbotSessions = {};
		this.sessions = staticData.chatbotSessions as Record<string, Remembered>;
	}

	recall(key: string): string | undefined {
		const found = this.sessions[key];
		return typeof found?.sessionId === 'string' && found.sessionId ? found.sessionId : undefined;
	}

	remember(key: string, sessionId: string): void {
		this.sessions[key] = { sessionId, usedAt: this.now() };
		const keys = Object.keys(this.sessions);
		if (keys.length <= MAX_REMEMBERED_SESSIONS) return;
		keys
			.sort((a, b) => this.sessions[a].usedAt - this.sessions[b].usedAt)
			.slice(0, keys.length - MAX_REMEMBERED_SESSIONS)
			.forEach((old) => delete this.sessions[old]);
	}
}
