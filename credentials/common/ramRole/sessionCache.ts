import { isDue, type TemporarySession } from './session';

interface Entry {
	session?: TemporarySession;
	inFlight?: Promise<TemporarySession>;
	/** Temporary AccessKey IDs a service refused; never handed out again. */
	rejected: Set<string>;
}

const MAX_ENTRIES = 100;

/**
 * The newest temporary key per settings fingerprint, in this n8n process. Its one job is
 * single-flight: parallel items and executions that all find the stored key missing or due ask
 * STS once and share the answer. What survives restarts and crosses queue-mode workers is the
 * encrypted copy n8n stores in the credential; this cache only stops a stampede.
 */
export class SessionCache {
	private readonly entries = new Map<string, Entry>();

	constructor(private readonly now: () => number = Date.now) {}

	/**
	 * A usable key for `fingerprint`: the stored one or the cached one if either is neither due nor
	 * refused, else the answer of the renewal already under way, else a new renewal via `fetch`.
	 */
	async obtain(
		fingerprint: string,
		stored: TemporarySession | undefined,
		fetch: () => Promise<TemporarySession>,
	): Promise<TemporarySession> {
		const entry = this.entry(fingerprint);
		if (entry.inFlight) return await entry.inFlight;
		const now = this.now();
		const usable = [entry.session, stored]
			.filter((s): s is TemporarySession => !!s && s.fingerprint === fingerprint && !isDue(s, now) && !entry.rejected.has(s.accessKeyId))
			.sort((a, b) => b.refreshAt - a.refreshAt)[0];
		if (usable) {
			entry.session = usable;
			return usable;
		}
		const inFlight = fetch().then(
			(session) => {
				entry.session = session;
				return session;
			},
		);
		entry.inFlight = inFlight;
		try {
			return await inFlight;
		} finally {
			// A failed renewal is not cached: the next request asks again.
			if (entry.inFlight === inFlight) entry.inFlight = undefined;
		}
	}

	/** A service answered that this temporary key is expired or unknown: the next obtain() renews. */
	reject(fingerprint: string, accessKeyId: string): void {
		const entry = this.entry(fingerprint);
		entry.rejected.add(accessKeyId);
		if (entry.rejected.size > 20) entry.rejected.delete(entry.rejected.values().next().value as string);
	}

	clear(): void {
		this.entries.clear();
	}

	private entry(fingerprint: string): Entry {
		let entry = this.entries.get(fingerprint);
		if (entry) {
			// Most recently used last, so the oldest is the one dropped.
			this.entries.delete(fingerprint);
		} else {
			entry = { rejected: new Set() };
		}
		this.entries.set(fingerprint, entry);
		while (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
		return entry;
	}
}

/** Shared by the credential's preAuthentication and the transport, which loads the same module. */
export const sessionCache = new SessionCache();
