/**
 * Runs tasks that share a session one after another, in the order they were queued, while
 * tasks of different sessions (or with none) run freely: turn order matters to the bot.
 */
export class SessionOrder {
	private readonly tails = new Map<string, Promise<unknown>>();

	async run<T>(sessionId: string | undefined, task: () => Promise<T>): Promise<T> {
		if (!sessionId) return await task();
		const previous = this.tails.get(sessionId) ?? Promise.resolve();
		const current = previous.then(task, task);
		const tail = current.then(
			() => undefined,
			() => undefined,
		);
		this.tails.set(sessionId, tail);
		try {
			return await current;
		} finally {
			if (this.tails.get(sessionId) === tail) this.tails.delete(sessionId);
		}
	}
}
