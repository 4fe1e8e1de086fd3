import { sleepWithAbort } from 'n8n-workflow';

import type { ByteStream } from './byteStream';

export type StopReason = 'deadline' | 'idle' | 'cancelled';

/**
 * Handed to AbortController.abort: without a reason, every abort builds a DOMException and its
 * stack trace, paid once per exchange on the hot path of every download.
 */
const FINISHED = Object.freeze({ finished: true });

/**
 * One abort switch for one HTTP exchange, thrown by whichever comes first: the overall
 * deadline, an idle gap in the body, or the execution being cancelled. Its signal goes to the
 * request, so n8n's HTTP client destroys the socket; streams are destroyed here as well.
 *
 * One watchdog sleep per exchange covers both the deadline and the idle gap: it wakes at the
 * earlier of the two and checks the time of the last chunk, so a chunk costs a clock read, not
 * a timer. (A timer per chunk, ended with an abort, cost ~40 µs per chunk: n8n's sleepWithAbort
 * builds an error with its call sites on every abort.) `finish()` ends the sleep, so none
 * outlives the exchange.
 */
export class ExchangeDeadline {
	private readonly controller = new AbortController();

	private timers = new AbortController();

	private stopped: StopReason | undefined;

	private finished = false;

	private stream: ByteStream | undefined;

	private readonly deadlineAt: number;

	/** Set while the body is read: the longest silence allowed. */
	private idleMs: number | undefined;

	/** Whether a chunk is being awaited (not while the caller works on the last one), and since when. */
	private waiting = false;

	private waitingSince = 0;

	/** Before the body is read, the watchdog wakes at this pace, so reading needs no new sleep. */
	private paceMs: number | undefined;

	/** When the watchdog's current sleep ends; undefined while none runs. */
	private wakeAt: number | undefined;

	/** Ends a pending chunk wait when the exchange stops, whatever the stream does on destroy. */
	private wakeReader: (() => void) | undefined;

	private readonly onCancel = () => this.stop('cancelled');

	constructor(
		deadlineMs: number | undefined,
		private readonly cancelSignal?: AbortSignal,
		/** The idle limit `chunks()` will use, when known now: the watchdog then starts at its pace. */
		idleMsHint?: number,
	) {
		this.deadlineAt = deadlineMs !== undefined && Number.isFinite(deadlineMs) ? Date.now() + deadlineMs : Infinity;
		if (cancelSignal?.aborted) this.stop('cancelled');
		else cancelSignal?.addEventListener('abort', this.onCancel, { once: true });
		this.paceMs = idleMsHint;
		if (!this.stopped) this.arm();
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
		this.controller.abort(reason);
		this.stream?.destroy();
		this.wakeReader?.();
		this.finish();
	}

	/** Ends the timer and the cancel listener; call it once the exchange is over, however it ended. */
	finish(): void {
		if (this.finished) return;
		this.finished = true;
		if (this.wakeAt !== undefined) this.timers.abort(FINISHED);
		this.cancelSignal?.removeEventListener('abort', this.onCancel);
	}

	/**
	 * Reads the body chunk by chunk; a gap longer than `idleMs` stops the exchange. The
	 * generator's `finally` ends the timer, so a caller that stops early leaks nothing.
	 */
	async *chunks(stream: ByteStream, idleMs: number): AsyncGenerator<Buffer> {
		this.attach(stream);
		this.idleMs = idleMs;
		if (!this.stopped && !this.finished && (this.wakeAt === undefined || this.wakeAt > Date.now() + idleMs)) {
			this.rearm();
		}
		const iterator = stream[Symbol.asyncIterator]();
		try {
			for (;;) {
				if (this.stopped) throw new ExchangeStopped(this.stopped);
				this.waiting = true;
				this.waitingSince = Date.now();
				const stoppedWhileWaiting = new Promise<undefined>((resolve) => (this.wakeReader = () => resolve(undefined)));
				const next = iterator.next().then(
					(result) => ({ result }),
					(error: unknown) => ({ error }),
				);
				const winner = await Promise.race([next, stoppedWhileWaiting]);
				this.wakeReader = undefined;
				this.waiting = false;
				if (this.stopped || winner === undefined) throw new ExchangeStopped(this.stopped ?? 'cancelled');
				if ('error' in winner) throw winner.error;
				if (winner.result.done) return;
				const value = winner.result.value;
				yield Buffer.isBuffer(value) ? value : Buffer.from(value);
			}
		} finally {
			this.idleMs = undefined;
			this.waiting = false;
			if (!this.stopped) stream.destroy();
			this.finish();
		}
	}

	/**
	 * The first of the deadline and the end of the allowed silence, and which of the two it is.
	 * While the caller works on a chunk nothing is awaited, so silence cannot be counted yet: the
	 * watchdog just looks again one idle limit later.
	 */
	private nextDue(idleMs = this.idleMs ?? this.paceMs): { at: number; reason: StopReason } {
		const now = Date.now();
		const idleAt = idleMs === undefined ? Infinity : (this.waiting ? this.waitingSince : now) + idleMs;
		return idleAt < this.deadlineAt ? { at: idleAt, reason: 'idle' } : { at: this.deadlineAt, reason: 'deadline' };
	}

	private arm(): void {
		const due = this.nextDue();
		if (due.at === Infinity) return;
		void this.watch(due.at);
	}

	/** A watchdog already sleeps past the new idle limit: the rare case where it must start over. */
	private rearm(): void {
		if (this.wakeAt !== undefined) {
			this.wakeAt = undefined;
			// A fresh controller for the new sleep: the old one's abort only ends the old sleep.
			const old = this.timers;
			this.timers = new AbortController();
			old.abort(FINISHED);
		}
		this.arm();
	}

	/** Sleeps until `wakeAt`, then stops the exchange if the deadline or the idle limit has passed, else sleeps on. */
	private async watch(wakeAt: number): Promise<void> {
		const signal = this.timers.signal;
		for (let at = wakeAt; ; ) {
			this.wakeAt = at;
			try {
				await sleepWithAbort(Math.max(0, at - Date.now()), signal);
			} catch {
				return;
			}
			if (signal.aborted || this.stopped || this.finished) return;
			const due = this.nextDue();
			if (due.at <= Date.now()) {
				this.wakeAt = undefined;
				this.stop(due.reason);
				return;
			}
			if (due.at === Infinity) {
				this.wakeAt = undefined;
				return;
			}
			at = due.at;
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
