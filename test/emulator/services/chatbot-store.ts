import { randomBytes, randomUUID } from 'node:crypto';

import { FIXTURES } from '../fixture-ids';

export interface StreamToken {
	accessToken: string;
	channelId: string;
	streamSecret: string;
	agentKey: string;
	expiresAt: number;
	revoked: boolean;
}

export interface ChatSession {
	turns: number;
	lastUtterance?: string;
}

/** Stream tokens handed out by ApplyForStreamAccessToken and the chat sessions they were used for. */
export class ChatbotStore {
	private readonly tokens = new Map<string, StreamToken>();
	private readonly sessions = new Map<string, ChatSession>();

	issue(agentKey: string, now: number = Date.now()): StreamToken {
		const token: StreamToken = {
			accessToken: randomBytes(16).toString('hex'),
			channelId: randomUUID(),
			streamSecret: randomUUID(),
			agentKey,
			expiresAt: now + FIXTURES.chatbot.tokenLifetimeMs,
			revoked: false,
		};
		this.tokens.set(token.accessToken, token);
		return token;
	}

	/** Undefined when unknown, revoked or past its 2 h lifetime. */
	valid(accessToken: string, now: number = Date.now()): StreamToken | undefined {
		const token = this.tokens.get(accessToken);
		return token && !token.revoked && token.expiresAt > now ? token : undefined;
	}

	revoke(accessToken: string): void {
		const token = this.tokens.get(accessToken);
		if (token) token.revoked = true;
	}

	revokeAll(): void {
		for (const token of this.tokens.values()) token.revoked = true;
	}

	/** Counts a turn on the session and returns it (with the previous utterance still in place). */
	nextTurn(sessionId: string): ChatSession {
		const session = this.sessions.get(sessionId) ?? { turns: 0 };
		session.turns += 1;
		this.sessions.set(sessionId, session);
		return session;
	}

	clear(): void {
		this.tokens.clear();
		this.sessions.clear();
	}
}
