import { performance } from 'node:perf_hooks';

export function median(values: number[]): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const mid = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
	const start = performance.now();
	const value = await work();
	return { value, ms: performance.now() - start };
}

export interface MemoryPeak {
	rss: number;
	heapUsed: number;
	external: number;
	arrayBuffers: number;
	samples: number;
}

/**
 * Samples process.memoryUsage() on a timer. A timer cannot fire while synchronous code
 * (e.g. one big JSON.parse) holds the thread, so `stop()` takes a last sample too; the
 * RSS peak is also checked against the OS high-water mark by the caller where available.
 */
export function sampleMemory(intervalMs = 10): { sample(): void; stop(): MemoryPeak } {
	const peak: MemoryPeak = { rss: 0, heapUsed: 0, external: 0, arrayBuffers: 0, samples: 0 };
	const sample = () => {
		const usage = process.memoryUsage();
		peak.rss = Math.max(peak.rss, usage.rss);
		peak.heapUsed = Math.max(peak.heapUsed, usage.heapUsed);
		peak.external = Math.max(peak.external, usage.external);
		peak.arrayBuffers = Math.max(peak.arrayBuffers, usage.arrayBuffers);
		peak.samples++;
	};
	sample();
	const timer = setInterval(sample, intervalMs);
	return {
		/** An extra sample at a moment the caller knows matters (e.g. right after a synchronous parse). */
		sample,
		stop() {
			clearInterval(timer);
			sample();
			return { ...peak };
		},
	};
}
