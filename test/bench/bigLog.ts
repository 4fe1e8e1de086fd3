/**
 * A 100k-sentence call log through ICE Archive getCallLog. The node runs in a child process
 * (the emulator stays here), so its memory peak is not mixed with the server's.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { FIXTURES, startEmulator } from '../emulator';
import type { MemoryPeak } from './measure';
import type { BenchOptions } from './options';
import { mib, ms, type BenchResult } from './report';

interface ChildReport {
	elapsedMs: number;
	baseline: NodeJS.MemoryUsage;
	peak: MemoryPeak;
	maxRssOs: number;
	items: number;
	sentences: number;
	error?: string;
}

function runChild(url: string): Promise<ChildReport> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(__dirname, 'bigLog.child.ts')], {
			cwd: join(__dirname, '..', '..'),
			env: { ...process.env, BENCH_EMULATOR_URL: url },
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		let err = '';
		child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
		child.on('error', reject);
		child.on('close', (code) => {
			const line = out.trim().split('\n').pop() ?? '';
			if (code !== 0 || !line.startsWith('{')) {
				reject(new Error(`big-log child exited with ${code}: ${err.trim().split('\n').slice(-3).join(' ')}`));
				return;
			}
			resolve(JSON.parse(line) as ChildReport);
		});
	});
}

export async function benchBigLog(options: BenchOptions): Promise<BenchResult> {
	const emulator = await startEmulator({ port: 0, latencyMs: options.latencyMs });
	try {
		const report = await runChild(emulator.url);
		const downloads = emulator.requests.filter((r) => r.path.includes(`/calllogs/${FIXTURES.ice.bigInstanceId}`)).length;
		// The size of what the node had to read, for scale (fetched after the timed run).
		const logBytes = (await (await fetch(`${emulator.url}/calllogs/${FIXTURES.ice.bigInstanceId}.json`)).arrayBuffer()).byteLength;
		const bench = '4. Big call log';
		const expected = FIXTURES.ice.bigSentenceCount;
		const complete = !report.error && report.sentences === expected;
		const peakRss = Math.max(report.peak.rss, report.maxRssOs);
		return {
			name: 'bigLog',
			rows: [
				{
					bench,
					measure: `getCallLog of \`${FIXTURES.ice.bigInstanceId}\` (${mib(logBytes)} JSON) in the engine, wall time incl. 2 calls × ${options.latencyMs} ms latency`,
					result: complete ? ms(report.elapsedMs) : `failed: ${report.error ?? `${report.sentences} sentences`}`,
					target: `${expected.toLocaleString('en-US')} sentences`,
					verdict: complete ? 'PASS' : 'FAIL',
				},
				{ bench, measure: 'RSS before → peak', result: `${mib(report.baseline.rss)} → ${mib(peakRss)} (+${mib(peakRss - report.baseline.rss)})` },
				{
					bench,
					measure: 'JS heap used before → peak',
					result: `${mib(report.baseline.heapUsed)} → ${mib(report.peak.heapUsed)} (+${mib(report.peak.heapUsed - report.baseline.heapUsed)})`,
				},
			],
			data: { ...report, peakRss, downloads, logBytes },
			notes: [
				`Big call log: run in a child process after a warm-up run and a GC; memory sampled every 10 ms (${report.peak.samples} samples), RSS peak also taken from the kernel's high-water mark.`,
			],
		};
	} finally {
		await emulator.close();
	}
}
