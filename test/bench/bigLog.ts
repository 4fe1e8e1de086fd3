/**
 * Call logs of 10k, 100k and 300k sentences through ICE Archive getCallLog in n8n's engine:
 * memory peaks and stored size against the log's size, time per 1,000 sentences and how each
 * grows with size (issue 18). Then the ways of reading a log compared outside the engine, so
 * the choice of the streaming reader rests on measurements. Every measurement runs in its own
 * child process (bigLog.child.ts) so that each peak belongs to one run; the emulator stays here.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { startEmulator } from '../emulator';
import type { ChildReport, ChildRun } from './bigLog.child';
import { median } from './measure';
import { mib, ms, ratio, type BenchResult, type Row, type Verdict } from './report';

const SIZES = [10_000, 100_000, 300_000];
const STRATEGY_SIZES = [100_000, 300_000];
const STRATEGIES = ['text-keep', 'text-release', 'reviver', 'streaming'] as const;
const STRATEGY_LABELS: Record<(typeof STRATEGIES)[number], string> = {
	'text-keep': 'text → JSON.parse → map, raw kept in the output (the node before)',
	'text-release': 'text → JSON.parse → map, text and raw graph released at once',
	reviver: 'map while parsing: JSON.parse with a reviver',
	streaming: 'map while downloading: JsonArrayFieldReader, each sentence built from its bytes (the node now)',
};
const HEAP_TARGET = 2.5;
const STORED_TARGET = 1.1;
/** Per-sentence time at 300k may be this much above 10k and still count as linear (GC work grows a little with heap). */
const LINEAR_TOLERANCE = 1.5;

function runChild(url: string, env: Record<string, string>): Promise<ChildReport> {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', join(__dirname, 'bigLog.child.ts')], {
			cwd: join(__dirname, '..', '..'),
			// tsx compiles in memory instead: its disk cache writes new entries and sweeps old ones in the
			// background of a new process, and that work landed in the first measured run (up to 0.9 MiB).
			env: { ...process.env, BENCH_EMULATOR_URL: url, TSX_DISABLE_CACHE: '1', ...env },
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
				reject(new Error(`call-log child (${JSON.stringify(env)}) exited with ${code}: ${err.trim().split('\n').slice(-3).join(' ')}`));
				return;
			}
			resolve(JSON.parse(line) as ChildReport);
		});
	});
}

async function logBytes(url: string, sentences: number): Promise<number> {
	const response = await fetch(`${url}/calllogs/big-${sentences}.json`, { method: 'HEAD' });
	const declared = Number(response.headers.get('content-length'));
	if (Number.isFinite(declared) && declared > 0) return declared;
	return (await (await fetch(`${url}/calllogs/big-${sentences}.json`)).arrayBuffer()).byteLength;
}

interface SizeFigures {
	sentences: number;
	logBytes: number;
	/** Median over fresh processes of each one's first measured run: later runs reuse memory already taken from the OS. */
	heapGrowth: number;
	rssGrowth: number;
	/** Peak of Buffers' memory (outside the JS heap: the download's network chunks until a GC frees them). */
	arrayBufferGrowth: number;
	retainedHeap: number;
	storedRatio: number;
	msPer1000: number;
	complete: boolean;
	error?: string;
}

/**
 * Memory from the first measured run of each process (`memoryReports`, the timed report
 * included), the median of them; time from the timed report's runs.
 */
function figures(report: ChildReport, bytes: number, memoryReports: ChildReport[] = [report]): SizeFigures {
	const firsts: ChildRun[] = memoryReports.map((each) => each.runs[0]);
	const of = (measure: (run: ChildRun) => number) => median(firsts.map(measure));
	const all = memoryReports.flatMap((each) => each.runs);
	return {
		sentences: report.sentences,
		logBytes: bytes,
		heapGrowth: of((run) => run.peak.heapUsed - run.baseline.heapUsed),
		rssGrowth: of((run) => Math.max(run.peak.rss, run.maxRssOs) - run.baseline.rss),
		arrayBufferGrowth: of((run) => run.peak.arrayBuffers - run.baseline.arrayBuffers),
		retainedHeap: of((run) => run.retainedHeap),
		storedRatio: firsts[0].outputJsonBytes / firsts[0].conversationJsonBytes,
		msPer1000: median(report.runs.map((run) => run.elapsedMs)) / (report.sentences / 1000),
		complete: all.every((run) => !run.error && run.sentences === report.sentences),
		error: all.find((run) => run.error)?.error,
	};
}

const k = (n: number) => `${n / 1000}k`;
const cells = (values: string[]) => values.join(' | ');
const verdict = (ok: boolean): Verdict => (ok ? 'PASS' : 'FAIL');

export async function benchBigLog(): Promise<BenchResult> {
	// No latency: this bench is about reading and mapping; the API's latency has its own bench.
	const emulator = await startEmulator({ port: 0, latencyMs: 0 });
	try {
		const sizes: SizeFigures[] = [];
		for (const sentences of SIZES) {
			const env = { BENCH_MODE: 'engine', BENCH_SENTENCES: String(sentences) };
			const report = await runChild(emulator.url, { ...env, BENCH_REPEATS: '3' });
			// Two more fresh processes, one run each: the peak of a single run moves with when V8 compiles and collects.
			const more = [await runChild(emulator.url, { ...env, BENCH_REPEATS: '1' }), await runChild(emulator.url, { ...env, BENCH_REPEATS: '1' })];
			sizes.push(figures(report, await logBytes(emulator.url, sentences), [report, ...more]));
		}
		const raw = figures(
			await runChild(emulator.url, { BENCH_MODE: 'engine', BENCH_SENTENCES: '100000', BENCH_REPEATS: '1', BENCH_INCLUDE_RAW: '1' }),
			await logBytes(emulator.url, 100_000),
		);
		const strategies: Array<{ strategy: (typeof STRATEGIES)[number]; figures: SizeFigures[] }> = [];
		for (const strategy of STRATEGIES) {
			const list: SizeFigures[] = [];
			for (const sentences of STRATEGY_SIZES) {
				const report = await runChild(emulator.url, { BENCH_MODE: strategy, BENCH_SENTENCES: String(sentences), BENCH_REPEATS: '2' });
				list.push(figures(report, await logBytes(emulator.url, sentences)));
			}
			strategies.push({ strategy, figures: list });
		}

		const bench = '4. Call log size (getCallLog in the engine)';
		const heapRatios = sizes.map((s) => s.heapGrowth / s.logBytes);
		const rssRatios = sizes.map((s) => s.rssGrowth / s.logBytes);
		const stored = sizes.map((s) => s.storedRatio);
		const perK = sizes.map((s) => s.msPer1000);
		// Each run also pays a fixed cost (Describe, one engine execution); the slope between sizes is what grows with sentences.
		const slope = (a: SizeFigures, b: SizeFigures) =>
			(b.msPer1000 * b.sentences - a.msPer1000 * a.sentences) / (b.sentences - a.sentences);
		const slopes = [slope(sizes[0], sizes[1]), slope(sizes[1], sizes[2])];
		const timeGrowth = slopes[1] / slopes[0];
		const heapGrowthOfRatio = heapRatios[heapRatios.length - 1] / heapRatios[0];
		const complete = sizes.every((s) => s.complete);
		const rows: Row[] = [
			{
				bench,
				measure: `Sentences → log size (${SIZES.map(k).join(' | ')})`,
				result: complete
					? cells(sizes.map((s) => `${s.sentences.toLocaleString('en-US')} → ${mib(s.logBytes)}`))
					: `failed: ${sizes.find((s) => !s.complete)?.error ?? 'sentences missing'}`,
				target: 'every sentence',
				verdict: verdict(complete),
			},
			{
				bench,
				measure: 'Peak JS heap growth ÷ log size',
				result: cells(heapRatios.map(ratio)),
				target: `≤ ${HEAP_TARGET}×`,
				verdict: verdict(heapRatios.every((r) => r <= HEAP_TARGET)),
			},
			{ bench, measure: 'Peak RSS growth ÷ log size', result: cells(rssRatios.map(ratio)) },
			{
				bench,
				measure:
					'Of the RSS: peak Buffer memory (outside the JS heap) ÷ log size; the network chunks stay until a GC frees them, so fewer GCs (less garbage) leave more of them',
				result: cells(sizes.map((s) => ratio(s.arrayBufferGrowth / s.logBytes))),
			},
			{
				bench,
				measure: 'Heap the output itself keeps (after a full GC) ÷ log size: the floor any reader must hold',
				result: cells(sizes.map((s) => ratio(s.retainedHeap / s.logBytes))),
			},
			{
				bench,
				measure: 'Stored output: item JSON ÷ its conversation JSON (default options)',
				result: cells(stored.map((r) => `${r.toFixed(3)}×`)),
				target: `≤ ${STORED_TARGET}×`,
				verdict: verdict(stored.every((r) => r <= STORED_TARGET)),
			},
			{
				bench,
				measure: 'Same at 100k with Include Raw Call Log on (opt-in): stored ÷ conversation; heap growth ÷ log',
				result: `${raw.storedRatio.toFixed(3)}×; ${ratio(raw.heapGrowth / raw.logBytes)}`,
			},
			{
				bench,
				measure: 'Time per 1,000 sentences (median of 3 runs, emulator at 0 ms latency)',
				result: cells(perK.map(ms)),
			},
			{
				bench,
				measure: `Growth: time per 1,000 more sentences, ${k(SIZES[0])} → ${k(SIZES[1])} and ${k(SIZES[1])} → ${k(SIZES[2])} (the fixed cost of a run drops out); their ratio`,
				result: `${ms(slopes[0])}; ${ms(slopes[1])}; ${ratio(timeGrowth)}`,
				target: `linear: ≤ ${LINEAR_TOLERANCE}×`,
				verdict: verdict(timeGrowth <= LINEAR_TOLERANCE),
			},
			{
				bench,
				measure: `Growth: peak heap ÷ log size, ${k(SIZES[2])} ÷ ${k(SIZES[0])} (below 1×: a fixed part and uncollected young-generation garbage weigh more on small logs)`,
				result: ratio(heapGrowthOfRatio),
			},
		];
		const strategyBench = '4b. Ways to read a call log (outside the engine)';
		for (const { strategy, figures: list } of strategies) {
			rows.push({
				bench: strategyBench,
				measure: `${STRATEGY_LABELS[strategy]}: peak heap ÷ log; peak RSS ÷ log; ms per 1,000 sentences (${STRATEGY_SIZES.map(k).join(' | ')})`,
				result: cells(
					list.map((s) => `${ratio(s.heapGrowth / s.logBytes)}; ${ratio(s.rssGrowth / s.logBytes)}; ${ms(s.msPer1000)}`),
				),
			});
		}
		return {
			name: 'bigLog',
			rows,
			data: { sizes, raw, strategies },
			notes: [
				`Call log size: each size in three fresh child processes (node --expose-gc, tsx without its disk cache) after two small warm-up runs (a seed log read whole, a 1,000-sentence log streamed) and a full GC; memory figures are the median over the three processes of each one's first measured run (RSS only grows within one process), times the median of 3 runs in the first process. Peak heap = the highest of: samples every 5 ms, one right after each synchronous parse, and the heap V8 reports at the start of every GC during the run (v8.GCProfiler), so a peak just before a collection is not missed. Garbage not yet collected counts. RSS peak also from the kernel's high-water mark. Log size = the file's bytes (UTF-8, mostly Chinese text).`,
			],
		};
	} finally {
		await emulator.close();
	}
}
