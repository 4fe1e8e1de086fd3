/** What ApplyForStreamAccessToken hands out; the stream URL and its sign are built from it. */
export interface StreamAccessToken {
	accessToken: string;
	channelId: string;
	streamSecret: string;
	/** Unix ms; Alibaba documents a 2 hour lifetime but does not return it, so it is counted from the request. */
	expiresAt: number;
}

export type IssuedToken = Omit<StreamAccessToken, 'expiresAt'>;

export const TOKEN_LIFETIME_MS = 2 * 60 * 60 * 1000;

/** A token this close to its end is renewed first, so a long answer never outlives its URL. */
export const RENEW_MARGIN_MS = 5 * 60 * 1000;

const MAX_ENTRIES = 200;

interface Entry {
	promise: Promise<StreamAccessToken>;
	token?: StreamAccessToken;
}

/**
 * Stream tokens per key (credential + endpoint + agent key). Items and executions that
 * ask at the same time share one in-flight request, so a batch costs one token call. It
 * lives in memory for the life of the n8n process and is never persisted.
 */
export class StreamTokenCache {
	private readonly entries = new Map<string, Entry>();

	constructor(private readonly now: () => number = Date.now) {}

	async get(key: string, issue: () => Promise<IssuedToken>): Promise<StreamAccessToken> {
		let entry = this.entries.get(key);
		if (entry?.token && entry.token.expiresAt - this.now() < RENEW_MARGIN_MS) {
			this.entries.delete(key);
			entry = undefined;
		}
		if (!entry) entry = this.startIssue(key, issue);
		return await entry.promise;
	}

	/**
	 * Forgets `token` after the stream refused it, unless it was replaced already: parallel
	 * items that saw the same refusal then share a single renewal.
	 */
	invalidate(key: string, token: StreamAccessToken): void {
		if (this.entries.get(key)?.token === token) this.entries.delete(key);
	}

	clear(): void {
		this.entries.clear();
	}

	get size(): number {
		return this.entries.size;
	}

	private startIssue(key: string, issue: () => Promise<IssuedToken>): Entry {
		const issuedAt = this.now();
		const entry = {} as Entry;
		entry.promise = issue().then(
			(issued) => {
				entry.token = { ...issued, expiresAt: issuedAt + TOKEN_LIFETIME_MS };
				return entry.token;
			},
			(error: unknown) => {
				// A failed request is not cached: the next item asks again.
				if (this.entries.get(key) === entry) this.entries.delete(key);
				throw error;
			},
		);
		this.entries.set(key, entry);
		this.prune();
		return entry;
	}

	private prune(): void {
		const now = this.now();
		for (const [key, entry] of this.entries) {
			if (entry.token && entry.token.expiresAt <= now) this.entries.delete(key);
		}
		while (this.entries.size > MAX_ENTRIES) {
			const oldest = this.entries.keys().next().value as string;
			this.entries.delete(oldest);
		}
	}
}
