import { sleep } from 'n8n-workflow';

/**
 * Spaces calls at least 1000/rps ms apart across all concurrent callers, so a batch stays
 * under an account's QPS quota instead of tripping throttling and paying for retries.
 */
export class RateLimiter {
	private nextSlot = 0;

	private readonly intervalMs: number;

	constructor(requestsPerSecond: number) {
		this.intervalMs = requestsPerSecond > 0 ? 1000 / requestsPerSecond : 0;
	}

	async acquire(): Promise<void> {
		if (this.intervalMs === 0) return;
		const now = Date.now();
		const slot = Math.max(now, this.nextSlot);
		this.nextSlot = slot + this.intervalMs;
		if (slot > now) await sleep(slot - now);
	}
}
