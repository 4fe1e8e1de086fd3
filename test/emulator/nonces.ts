/** Remembers signature nonces for a window, like the gateway's replay protection. */
export class NonceStore {
	private readonly seen = new Map<string, number>();

	constructor(private readonly windowMs: number) {}

	/** Returns false when the nonce was already used inside the window. */
	use(nonce: string, now: number): boolean {
		this.forgetOlderThan(now - this.windowMs);
		if (this.seen.has(nonce)) return false;
		this.seen.set(nonce, now);
		return true;
	}

	clear(): void {
		this.seen.clear();
	}

	// Map keeps insertion order, which is time order here, so expired entries sit at the front.
	private forgetOlderThan(limit: number): void {
		for (const [nonce, at] of this.seen) {
			if (at >= limit) break;
			this.seen.delete(nonce);
		}
	}
}
