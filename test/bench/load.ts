/**
 * The "loaded" condition of the archive bench and the figures that say where its time goes.
 * A fixed background loop keeps one core busy; Linux's per-thread schedstat tells, for the
 * bench process and the emulator process, how long their threads ran on a CPU and how long
 * they were ready to run but waited for one: the price of the busy core, separated from work.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface BusyLoop {
	stop(): Promise<void>;
}

/** One process spinning on one core until stopped: always the same load, whatever the machine does. */
export function startBusyLoop(): BusyLoop {
	const child: ChildProcess = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
	return {
		stop: () =>
			new Promise((resolve) => {
				if (child.exitCode !== null || child.signalCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGKILL');
			}),
	};
}

export interface SchedTimes {
	/** ms its threads ran on a CPU. */
	onCpuMs: number;
	/** ms its threads were ready to run but waited in a run queue. */
	waitingMs: number;
}

/** Sums /proc/<pid>/task/<tid>/schedstat over all threads (JS, libuv pool, V8's GC helpers). */
export function schedTimes(pid: number | 'self' = 'self'): SchedTimes | undefined {
	try {
		let onCpu = 0;
		let waiting = 0;
		for (const tid of readdirSync(`/proc/${pid}/task`)) {
			const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
			onCpu += run;
			waiting += wait;
		}
		return { onCpuMs: onCpu / 1e6, waitingMs: waiting / 1e6 };
	} catch {
		// Not Linux, or schedstats disabled: the rows say "n/a".
		return undefined;
	}
}

export function schedDelta(before: SchedTimes | undefined, after: SchedTimes | undefined): SchedTimes | undefined {
	if (!before || !after) return undefined;
	return { onCpuMs: after.onCpuMs - before.onCpuMs, waitingMs: after.waitingMs - before.waitingMs };
}
