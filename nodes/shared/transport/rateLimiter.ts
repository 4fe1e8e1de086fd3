import { sleep } from 'n8n-workflow';

/**
 * Spaces calls at least 1000/rps ms apart across all concurrent callers, so a batch stays
 * under an account's QPS quota instead of tripping throttling and paying for retries.
 * Callers take turns, and each turn is measured from when the previous one actually went:
 * a timer that fires late must not let the next caller through early.
 */
export class RateLimiter {
	private lastAcquired = Number.NEGATIVE_INFINITY;

	private queue: Promise<void> = Promise.resolve();

	private readonly intervalMs: number;

	constructor(requestsPerSecond: number) {
		this.intervalMs = requestsPerSecond > 0 ? 1000 / requestsPerSecond : 0;
	}

	async acquire(): Promise<void> {
		if (this.intervalMs === 0) return;
		const turn = this.queue.then(async () => {
			// A timer can fire a little before Date.now() says it should, so wait until it really is time.
			for (let wait = this.lastAcquired + this.intervalMs - Date.now(); wait > 0; ) {
				await sleep(Math.ceil(wait));
				wait = this.lastAcquired + this.intervalMs - Date.now();
			}
			this.lastAcquired = Date.now();
		});
		this.queue = turn;
		await turn;
	}
}
