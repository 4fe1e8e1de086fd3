import { sleep } from 'n8n-workflow';

/**
 * A counting semaphore. One is shared by every item of an execution, so call-log downloads
 * stay within the node's Concurrency even when several input items fan out at once.
 */
export class Semaphore {
	private active = 0;

	private readonly waiting: Array<() => void> = [];

	constructor(private readonly size: number) {}

	async run<T>(task: () => Promise<T>): Promise<T> {
		await this.acquire();
		try {
			return await task();
		} finally {
			this.release();
		}
	}

	private async acquire(): Promise<void> {
		if (this.active < this.size) {
			this.active++;
			return;
		}
		// The releasing task hands its slot straight over, so `active` stays counted.
		await new Promise<void>((resolve) => this.waiting.push(resolve));
	}

	private release(): void {
		const next = this.waiting.shift();
		if (next) next();
		else this.active--;
	}
}

/**
 * Workers start this many ms apart, STAGGER_TOTAL_MS at most in all. Started together, the
 * calls answer together, and n8n's one event loop handles their answers interleaved, step by
 * step, so each worker's next call waits for the whole wave's processing and the workers stay
 * in lockstep: a 50 ms call took 60–64 ms per wave in the bench (test/bench, "wave period").
 * Started apart, answers arrive apart and each is handled as it comes.
 */
export const STAGGER_MS = 5;
export const STAGGER_TOTAL_MS = 50;

/**
 * Maps with at most `limit` calls in flight, keeping input order. After a failure no new
 * call starts; the ones in flight are awaited so nothing keeps running after the node
 * has failed, then the failure of the lowest index is thrown.
 */
export async function mapConcurrent<T, R>(
	values: T[],
	limit: number,
	fn: (value: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results: R[] = new Array(values.length);
	let next = 0;
	type Failure = { index: number; error: unknown };
	// Assigned inside the workers; the cast keeps TypeScript from narrowing it to undefined here.
	let failure = undefined as Failure | undefined;
	const workers = Math.max(1, Math.min(Math.floor(limit) || 1, values.length));
	const stagger = workers > 1 ? Math.min(STAGGER_MS, STAGGER_TOTAL_MS / (workers - 1)) : 0;
	const worker = async (_: unknown, rank: number) => {
		if (rank > 0) await sleep(rank * stagger);
		while (failure === undefined && next < values.length) {
			const index = next++;
			try {
				results[index] = await fn(values[index], index);
			} catch (error) {
				if (failure === undefined || index < (failure as Failure).index) failure = { index, error };
			}
		}
	};
	await Promise.all(Array.from({ length: workers }, worker));
	if (failure !== undefined) throw (failure as Failure).error;
	return results;
}
