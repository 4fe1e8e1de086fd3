import { sleepWithAbort } from 'n8n-workflow';

import type { ByteStream } from './byteStream';

export type StopReason = 'deadline' | 'idle' | 'cancelled';

/**
 * One abort switch for one HTTP exchange, thrown by whichever comes first: the overall
 * deadline, an idle gap in the body, or the execution being cancelled. Its signal goes to the
 * request, so n8n's HTTP client destroys the socket; streams are destroyed here as well.
 * Timers are n8n-workflow's sleeps, ended by `finish()` so none outlives the exchange.
 */
export class ExchangeDeadline {
	private readonly controller = new AbortController();

	private readonly timers = new AbortController();

	private stopped: StopReason | undefined;

	private stream: ByteStream | undefined;

	private readonly onCancel = () => this.stop('cancelled');

	constructor(
		deadlineMs: number | undefined,
		private readonly cancelSignal?: AbortSignal,
	) {
		if (cancelSignal?.aborted) this.stop('cancelled');
		else cancelSignal?.addEventListener('abort', this.onCancel, { once: true });
		if (deadlineMs !== undefined && Number.isFinite(deadlineMs)) {
			void sleepWithAbort(deadlineMs, this.timers.signal).then(
				() => this.stop('deadline'),
				() => undefined,
			);
		}
	}

	get signal(): AbortSignal {
		return this.controller.signal;
	}

	get reason(): StopReason | undefined {
		return this.stopped;
	}

	/** The response body, destroyed too when the exchange is stopped. */
	attach(stream: ByteStream): void {
		this.stream = stream;
		if (this.stopped) stream.destroy();
	}

	stop(reason: StopReason): void {
		if (this.stopped) return;
		this.stopped = reason;
		this.controller.abort();
		this.stream?.destroy();
		this.finish();
	}

	/** Ends the timers and the cancel listener; call it once the exchange is over, however it ended. */
	finish(): void {
		this.timers.abort();
		this.cancelSignal?.removeEventListener('abort', this.onCancel);
	}

	/**
	 * Reads the body chunk by chunk; a gap longer than `idleMs` stops the exchange. The
	 * generator's `finally` ends the timers, so a caller that stops early leaks nothing.
	 */
	async *chunks(stream: ByteStream, idleMs: number): AsyncGenerator<Buffer> {
		this.attach(stream);
		const iterator = stream[Symbol.asyncIterator]();
		try {
			for (;;) {
				if (this.stopped) throw new ExchangeStopped(this.stopped);
				const tick = new AbortController();
				// Rejects only once `tick` ends it, which is after the race.
				const idle = sleepWithAbort(idleMs, tick.signal).then(
					() => ({ idle: true as const }),
					() => ({ idle: true as const }),
				);
				const next = iterator.next().then(
					(result) => ({ result }),
					(error: unknown) => ({ error }),
				);
				const winner = await Promise.race([next, idle]);
				tick.abort();
				if ('idle' in winner) this.stop('idle');
				if (this.stopped) throw new ExchangeStopped(this.stopped);
				if ('idle' in winner) throw new ExchangeStopped('idle');
				if ('error' in winner) throw winner.error;
				if (winner.result.done) return;
				const value = winner.result.value;
				yield Buffer.isBuffer(value) ? value : Buffer.from(value);
			}
		} finally {
			if (!this.stopped) stream.destroy();
			this.finish();
		}
	}
}

/** Thrown out of a guarded read; the caller words it for its own call. */
export class ExchangeStopped extends Error {
	constructor(readonly reason: StopReason) {
		super(`stopped: ${reason}`);
	}
}

export function seconds(ms: number): string {
	return `${Number((ms / 1000).toPrecision(3))} s`;
}
