/**
 * Archive then analyze 200 calls in one workflow: ICE Archive listInstances (with call logs)
 * → CCAI Analyze, compared with the ideal for the given latency and concurrency and with the
 * seed scripts' way of making the same calls one after another.
 */
import { performance } from 'node:perf_hooks';

import { EMULATOR_KEYS, FIXTURES, type RecordedRequest } from '../emulator';
import { emulatorCredentials } from '../helpers/credentials';
import { runWorkflow } from '../helpers/engine';
import { startEmulatorProcess, type BenchEmulator } from './emulatorProcess';
import type { BenchOptions } from './options';
import { replayPhases } from './transportFloor';
import { median } from './measure';
import { ms, ratio, type BenchResult, type Row } from './report';
import { schedDelta, schedTimes, startBusyLoop, type SchedTimes } from './load';
import {
	analyzeNode,
	bareReplayCpu,
	helperReplayCpu,
	httpRequestNodes,
	packageNodes,
	runFlow,
	signingCpuPerCallMs,
	type FlowRun,
} from './archivePeer';

const TARGET_RATIO = 1.25;
const REPEATS = 3;
const CPU_REPEATS = 7;
const INSTANCES = FIXTURES.ice.benchInstanceCount;

interface CallCounts {
	pages: number;
	downloads: number;
	analyses: number;
	other: number;
	total: number;
}

interface NodeTiming {
	/** The engine's own executionTime for the node's run. */
	executionMs: number;
	/** From the node's start to its first API call arriving at the emulator. */
	beforeFirstCallMs: number;
	/** Mean time between waves of its fan-out calls; the ideal is one latency. */
	wavePeriodMs: number;
	/** From the last answer (last arrival + latency) to the node's end. */
	afterLastAnswerMs: number;
}

interface ArchiveRun {
	elapsedMs: number;
	calls: CallCounts;
	archive: NodeTiming;
	analyze: NodeTiming;
	analyzed: number;
	failedItems: number;
	/** Most requests the emulator saw arrive within one latency window: the concurrency actually reached. */
	peakInFlight: { downloads: number; analyses: number };
	/** This process's user + system CPU during the run. */
	cpuMs: number;
	/** How long this process's and the emulator's threads ran, and waited for a CPU (Linux schedstat). */
	sched: { bench?: SchedTimes; emulator?: SchedTimes };
	error?: string;
}

/** A run and what the emulator recorded during it (kept out of the JSON report). */
interface RecordedRun {
	run: ArchiveRun;
	requests: RecordedRequest[];
}

function isDownload(request: RecordedRequest): boolean {
	return request.path.startsWith('/calllogs/');
}

function countCalls(requests: RecordedRequest[]): CallCounts {
	const pages = requests.filter((r) => r.action === 'ListAIAgentInstance').length;
	const downloads = requests.filter(isDownload).length;
	const analyses = requests.filter((r) => r.action === 'AnalyzeConversation').length;
	return { pages, downloads, analyses, other: requests.length - pages - downloads - analyses, total: requests.length };
}

/**
 * Requests are only timestamped on arrival; each one is held for `latencyMs` before its answer,
 * so arrivals closer than that overlapped on the server.
 */
function peakOverlap(requests: RecordedRequest[], latencyMs: number): number {
	const times = requests.map((r) => r.at).sort((a, b) => a - b);
	let peak = 0;
	let low = 0;
	for (let high = 0; high < times.length; high++) {
		while (times[high] - times[low] >= Math.max(1, latencyMs)) low++;
		peak = Math.max(peak, high - low + 1);
	}
	return peak;
}

/** Splits a node's run into set-up, its fan-out waves and wind-down, from arrival times at the emulator. */
function nodeTiming(
	task: { startTime: number; executionTime: number } | undefined,
	requests: RecordedRequest[],
	isFanOut: (r: RecordedRequest) => boolean,
	latencyMs: number,
	concurrency: number,
): NodeTiming {
	if (!task) return { executionMs: NaN, beforeFirstCallMs: NaN, wavePeriodMs: NaN, afterLastAnswerMs: NaN };
	const end = task.startTime + task.executionTime;
	const mine = requests.filter((r) => r.at >= task.startTime && r.at <= end);
	const fanOut = mine.filter(isFanOut);
	const waves = Math.ceil(fanOut.length / concurrency);
	const first = fanOut[0]?.at ?? NaN;
	const last = fanOut[fanOut.length - 1]?.at ?? NaN;
	return {
		executionMs: task.executionTime,
		beforeFirstCallMs: (mine[0]?.at ?? NaN) - task.startTime,
		wavePeriodMs: waves > 1 ? (last - first) / (waves - 1) : NaN,
		afterLastAnswerMs: end - (last + latencyMs),
	};
}

async function runArchive(emulator: BenchEmulator, latencyMs: number, concurrency: number): Promise<RecordedRun> {
	await emulator.reset(latencyMs);
	const cpu = process.cpuUsage();
	const schedBench = schedTimes();
	const schedEmulator = schedTimes(emulator.pid);
	const start = performance.now();
	const result = await runWorkflow({
		nodes: [
			{
				name: 'Archive',
				type: 'alibabaIceArchive',
				parameters: {
					operation: 'listInstances',
					aiAgentId: FIXTURES.ice.benchAgentId,
					returnAll: true,
					options: { includeCallLog: true, concurrency },
				},
			},
			analyzeNode(concurrency),
		],
		credentials: emulatorCredentials(emulator.url, EMULATOR_KEYS),
	});
	const elapsedMs = performance.now() - start;
	const sched = { bench: schedDelta(schedBench, schedTimes()), emulator: schedDelta(schedEmulator, schedTimes(emulator.pid)) };
	const used = process.cpuUsage(cpu);
	const runData = result.run.data.resultData.runData;
	const error = result.error('Archive') ?? result.error('Analyze');
	const analyzedItems = runData.Analyze?.[0]?.data?.main?.[0] ?? [];
	const requests = await emulator.requests();
	const run: ArchiveRun = {
		elapsedMs,
		calls: countCalls(requests),
		archive: nodeTiming(runData.Archive?.[0], requests, isDownload, latencyMs, concurrency),
		analyze: nodeTiming(runData.Analyze?.[0], requests, (r) => r.action === 'AnalyzeConversation', latencyMs, concurrency),
		analyzed: analyzedItems.length,
		failedItems: analyzedItems.filter((item) => item.json.error !== undefined).length,
		peakInFlight: {
			downloads: peakOverlap(requests.filter(isDownload), latencyMs),
			analyses: peakOverlap(
				requests.filter((r) => r.action === 'AnalyzeConversation'),
				latencyMs,
			),
		},
		cpuMs: (used.user + used.system) / 1000,
		sched,
		error: error?.message,
	};
	return { run, requests };
}

export async function benchArchive(options: BenchOptions): Promise<BenchResult> {
	const { latencyMs: L, concurrency: c } = options;
	const emulator = await startEmulatorProcess(L);
	try {
		// An untimed run first loads the node modules and warms the JIT, as in a running n8n.
		await runArchive(emulator, 0, c);
		const zero = await runArchive(emulator, 0, c);
		const overhead = zero.run;
		const phasesOf = (requests: RecordedRequest[]) => [
			{ requests: requests.filter((r) => r.action === 'ListAIAgentInstance'), concurrency: 1 },
			{ requests: requests.filter(isDownload), concurrency: c },
			{ requests: requests.filter((r) => r.action === 'AnalyzeConversation'), concurrency: c },
		];
		// The transport floor at 0 ms: what bare HTTP costs per call here, the emulator's work included.
		await emulator.reset(0);
		await replayPhases(emulator.url, phasesOf(zero.requests));
		const floorZeroMs = await replayPhases(emulator.url, phasesOf(zero.requests));

		// Median of a few runs, each followed by its own calls replayed without n8n, so that both
		// see the same load on a shared machine.
		const repeats: ArchiveRun[] = [];
		const floors: number[] = [];
		for (let i = 0; i < REPEATS; i++) {
			const { run, requests } = await runArchive(emulator, L, c);
			repeats.push(run);
			await emulator.reset(L);
			floors.push(await replayPhases(emulator.url, phasesOf(requests)));
		}
		const byTime = [...repeats].sort((a, b) => a.elapsedMs - b.elapsedMs);
		const main = byTime[Math.floor(byTime.length / 2)];
		const floorMs = median(floors);

		const sequential = options.runSequential ? (await runArchive(emulator, L, 1)).run : undefined;

		// Loaded: the same runs while a loop the bench starts keeps one core busy.
		const busy = startBusyLoop();
		const loadedRuns: ArchiveRun[] = [];
		try {
			for (let i = 0; i < REPEATS; i++) loadedRuns.push((await runArchive(emulator, L, c)).run);
		} finally {
			await busy.stop();
		}
		const loaded = [...loadedRuns].sort((a, b) => a.elapsedMs - b.elapsedMs)[Math.floor(loadedRuns.length / 2)];

		const peer = await comparePeer(emulator, L, c);

		const { pages, downloads, analyses, total } = main.calls;
		// List pages depend on each other (no total count, stop on a short page), so they cannot overlap.
		const ideal = pages * L + ((downloads + analyses) * L) / c;
		const plainIdeal = (total * L) / c;
		const sequentialComputed = total * L;
		const idealArchive = pages * L + (downloads * L) / c;
		const idealAnalyze = (analyses * L) / c;
		const complete =
			!main.error && main.analyzed === INSTANCES && main.failedItems === 0 && downloads === INSTANCES && analyses === INSTANCES;
		const r = main.elapsedMs / ideal;
		const bench = '1. Archive → analyze, 200 calls';
		const rows: Row[] = [
			{
				bench,
				measure: 'API calls (list pages + call-log downloads + analyses + other)',
				result: `${total} (${pages} + ${downloads} + ${analyses} + ${main.calls.other})`,
				target: `${INSTANCES} analysed`,
				verdict: complete ? 'PASS' : 'FAIL',
			},
			{
				bench,
				measure: `Ideal = pages × L + (downloads + analyses) × L ÷ c`,
				result: `${pages}×${L} + ${downloads + analyses}×${L}÷${c} = ${ms(ideal)}`,
			},
			{
				bench,
				measure: `Issue's plain ideal = calls × L ÷ c`,
				result: `${total}×${L}÷${c} = ${ms(plainIdeal)}`,
			},
			{
				bench,
				measure: `Wall time, concurrency ${c} (median of ${REPEATS} runs; min–max)`,
				result: main.error
					? `failed: ${main.error}`
					: `${ms(main.elapsedMs)} (${ms(byTime[0].elapsedMs)}–${ms(byTime[byTime.length - 1].elapsedMs)})`,
			},
			{
				bench,
				measure: 'Wall ÷ ideal (plain ideal)',
				result: ideal > 0 ? `${ratio(r)} (${ratio(main.elapsedMs / plainIdeal)})` : 'n/a at 0 ms latency',
				target: `≤ ${TARGET_RATIO.toFixed(2)}×`,
				verdict: ideal > 0 ? (complete && r <= TARGET_RATIO ? 'PASS' : 'FAIL') : '',
			},
			{
				bench,
				measure: `Transport floor: each run's calls replayed right after it, same phases and concurrency, bare node:http + SDK signing, no n8n (median of ${REPEATS})`,
				result: ideal > 0 ? `${ms(floorMs)} (${ratio(floorMs / ideal)} of ideal)` : ms(floorMs),
			},
			{
				bench,
				measure: 'Wall ÷ transport floor: what n8n + the nodes add over bare HTTP',
				result: ratio(main.elapsedMs / floorMs),
			},
			{
				bench,
				measure: 'Where the time goes: ICE Archive node vs its ideal; CCAI Analyze node vs its ideal',
				result: `${ms(main.archive.executionMs)} vs ${ms(idealArchive)}; ${ms(main.analyze.executionMs)} vs ${ms(idealAnalyze)}`,
			},
			{
				bench,
				measure: `ICE Archive: before its first call; download wave period (L = ${L}); after its last answer`,
				result: `${ms(main.archive.beforeFirstCallMs)}; ${ms(main.archive.wavePeriodMs)}; ${ms(main.archive.afterLastAnswerMs)}`,
			},
			{
				bench,
				measure: `CCAI Analyze: before its first call (it reads all items first); analysis wave period (L = ${L}); after its last answer`,
				result: `${ms(main.analyze.beforeFirstCallMs)}; ${ms(main.analyze.wavePeriodMs)}; ${ms(main.analyze.afterLastAnswerMs)}`,
			},
			{
				bench,
				measure: 'Peak requests in flight (downloads; analyses)',
				result: `${main.peakInFlight.downloads}; ${main.peakInFlight.analyses}`,
				target: `${c}; ${c}`,
			},
			{
				bench,
				measure: 'Same workflow at 0 ms latency: the CPU cost of engine + nodes + HTTP, per call',
				result: `${ms(overhead.elapsedMs)}; ${(overhead.elapsedMs / overhead.calls.total).toFixed(2)} ms per call`,
			},
			{
				bench,
				measure: 'Transport floor at 0 ms latency, per call',
				result: `${ms(floorZeroMs)}; ${(floorZeroMs / zero.requests.length).toFixed(2)} ms per call`,
			},
		];
		if (sequential) {
			rows.push({
				bench,
				measure: `Seed-script way, measured: the same ${sequential.calls.total} calls one after another (concurrency 1)`,
				result: `${ms(sequential.elapsedMs)} (calls × L = ${ms(sequentialComputed)}); ${ratio(sequential.elapsedMs / main.elapsedMs)} slower`,
			});
		} else {
			rows.push({
				bench,
				measure: 'Seed-script way, computed: calls × L (not run: --no-sequential)',
				result: `${ms(sequentialComputed)}; ${ratio(sequentialComputed / main.elapsedMs)} slower`,
			});
		}
		rows.push(...loadedRows(main, loaded, ideal, L));
		rows.push(...peerRows(peer, L, c));
		return {
			name: 'archive',
			rows,
			data: {
				latencyMs: L,
				concurrency: c,
				idealMs: ideal,
				plainIdealMs: plainIdeal,
				ratioToIdeal: r,
				ratioToPlainIdeal: main.elapsedMs / plainIdeal,
				transportFloorMs: floorMs,
				transportFloorRunsMs: floors,
				transportFloorZeroLatencyMs: floorZeroMs,
				main,
				repeatsMs: repeats.map((run) => run.elapsedMs),
				zeroLatency: overhead,
				sequential,
				sequentialComputedMs: sequentialComputed,
				loaded,
				loadedRepeatsMs: loadedRuns.map((run) => run.elapsedMs),
				peer: {
					...peer,
					ours: stripRequests(peer.ours),
					http: stripRequests(peer.http),
					ours0: stripRequests(peer.ours0),
					oursWide0: stripRequests(peer.oursWide0),
					http0: stripRequests(peer.http0),
				},
			},
			notes: [
				`Archive: one execution in n8n's WorkflowExecute; L = ${L} ms emulator latency per call, c = ${c} (both nodes' Concurrency option). The emulator runs in its own process, as the real API is not on the n8n machine. The analyze node starts when the archive node has finished (n8n runs a node once on all its items), so the two fan-outs cannot overlap; the ideal counts them one after the other.`,
			],
		};
	} finally {
		await emulator.close();
	}
}

const LOADED_BENCH = '1. Archive → analyze, loaded';

function sched(times: SchedTimes | undefined, key: keyof SchedTimes): string {
	return times ? ms(times[key]) : 'n/a';
}

/** Quiet against loaded, and the time the loaded run lost, by where it was spent. */
function loadedRows(quiet: ArchiveRun, loaded: ArchiveRun, ideal: number, L: number): Row[] {
	const bench = LOADED_BENCH;
	const delta = loaded.elapsedMs - quiet.elapsedMs;
	return [
		{
			bench,
			measure: `Same workflow while one core is kept busy by a fixed loop the bench starts (node -e 'for(;;){}'); wall, median of ${REPEATS}`,
			result: loaded.error ? `failed: ${loaded.error}` : `${ms(loaded.elapsedMs)} (quiet ${ms(quiet.elapsedMs)}; +${ms(delta)})`,
		},
		{
			bench,
			measure: 'Wall ÷ ideal: quiet; loaded',
			result: ideal > 0 ? `${ratio(quiet.elapsedMs / ideal)}; ${ratio(loaded.elapsedMs / ideal)}` : 'n/a at 0 ms latency',
		},
		{
			bench,
			measure: 'Where the loaded overhead goes, quiet → loaded: this process on a CPU; waiting for a CPU (Linux schedstat, all threads)',
			result: `${sched(quiet.sched.bench, 'onCpuMs')} → ${sched(loaded.sched.bench, 'onCpuMs')}; ${sched(quiet.sched.bench, 'waitingMs')} → ${sched(loaded.sched.bench, 'waitingMs')}`,
		},
		{
			bench,
			measure: 'The emulator process, quiet → loaded: on a CPU; waiting for a CPU',
			result: `${sched(quiet.sched.emulator, 'onCpuMs')} → ${sched(loaded.sched.emulator, 'onCpuMs')}; ${sched(quiet.sched.emulator, 'waitingMs')} → ${sched(loaded.sched.emulator, 'waitingMs')}`,
		},
		{
			bench,
			measure: `By node, quiet → loaded: ICE Archive; CCAI Analyze; download / analysis wave period (L = ${L})`,
			result: `${ms(quiet.archive.executionMs)} → ${ms(loaded.archive.executionMs)}; ${ms(quiet.analyze.executionMs)} → ${ms(loaded.analyze.executionMs)}; ${ms(quiet.archive.wavePeriodMs)} / ${ms(quiet.analyze.wavePeriodMs)} → ${ms(loaded.archive.wavePeriodMs)} / ${ms(loaded.analyze.wavePeriodMs)}`,
		},
	];
}

interface PeerComparison {
	ours: FlowRun;
	http: FlowRun;
	ours0: FlowRun;
	/** This package at 0 ms with as many calls in flight as the unpaced HTTP Request node (all of them). */
	oursWide0: FlowRun;
	http0: FlowRun;
	helper: { elapsedMs: number; cpuMs: number; calls: number };
	bare: { elapsedMs: number; cpuMs: number; calls: number };
	signingMsPerCall: number;
}

function stripRequests(run: FlowRun): Omit<FlowRun, 'requests'> {
	const { requests: _requests, ...rest } = run;
	return rest;
}

function medianRun(runs: FlowRun[], key: 'elapsedMs' | 'cpuMs'): FlowRun {
	return [...runs].sort((a, b) => a[key] - b[key])[Math.floor(runs.length / 2)];
}

/** Per call, from 200 instance ids: this package's nodes against n8n's HTTP Request node, runs alternated. */
async function comparePeer(emulator: BenchEmulator, L: number, c: number): Promise<PeerComparison> {
	// Untimed runs load both node packages and warm the JIT.
	await runFlow(emulator, 0, packageNodes(c));
	await runFlow(emulator, 0, httpRequestNodes(emulator.url, c, 0));
	const ours: FlowRun[] = [];
	const http: FlowRun[] = [];
	const ours0: FlowRun[] = [];
	const oursWide0: FlowRun[] = [];
	const http0: FlowRun[] = [];
	const wide = FIXTURES.ice.benchInstanceCount;
	for (let i = 0; i < REPEATS; i++) {
		ours.push(await runFlow(emulator, L, packageNodes(c)));
		http.push(await runFlow(emulator, L, httpRequestNodes(emulator.url, c, L)));
	}
	// The 0 ms runs are short (about 0.4 s), so CPU per call takes more of them.
	for (let i = 0; i < CPU_REPEATS; i++) {
		ours0.push(await runFlow(emulator, 0, packageNodes(c)));
		oursWide0.push(await runFlow(emulator, 0, packageNodes(wide)));
		http0.push(await runFlow(emulator, 0, httpRequestNodes(emulator.url, c, 0)));
	}
	const requests = ours0[0].requests;
	const helpers = [];
	const bares = [];
	for (let i = 0; i < REPEATS; i++) {
		helpers.push(await helperReplayCpu(emulator, requests, c));
		bares.push(await bareReplayCpu(emulator, requests, c));
	}
	const byCpu = <T extends { cpuMs: number }>(list: T[]) => [...list].sort((a, b) => a.cpuMs - b.cpuMs)[Math.floor(list.length / 2)];
	return {
		ours: medianRun(ours, 'elapsedMs'),
		http: medianRun(http, 'elapsedMs'),
		ours0: medianRun(ours0, 'cpuMs'),
		oursWide0: medianRun(oursWide0, 'cpuMs'),
		http0: medianRun(http0, 'cpuMs'),
		helper: byCpu(helpers),
		bare: byCpu(bares),
		signingMsPerCall: await signingCpuPerCallMs(emulator.url),
	};
}

function perCall(run: { cpuMs: number; calls: number }): number {
	return run.calls > 0 ? run.cpuMs / run.calls : NaN;
}

function peerRows(p: PeerComparison, L: number, c: number): Row[] {
	const bench = `1b. Per call, 200 calls: this package vs n8n's HTTP Request node`;
	const instances = FIXTURES.ice.benchInstanceCount;
	const runs = [p.ours, p.http, p.ours0, p.oursWide0, p.http0];
	const complete = runs.every((run) => !run.error && run.completed === instances);
	const cpuOurs = perCall(p.ours0);
	const cpuOursWide = perCall(p.oursWide0);
	const cpuHttp = perCall(p.http0);
	const cpuOursL = perCall(p.ours);
	const cpuHttpL = perCall(p.http);
	const helper = perCall(p.helper);
	const bare = perCall(p.bare);
	const msCall = (value: number) => `${value.toFixed(3)} ms`;
	return [
		{
			bench,
			measure:
				'Calls per run, both ways (Describe + call-log GET + AnalyzeConversation per instance, from the same 200 ids); analysed',
			result: complete
				? `${p.ours.calls} vs ${p.http.calls}; ${p.ours.completed} vs ${p.http.completed}`
				: `failed: ${runs.find((run) => run.error)?.error ?? 'not every call analysed'}`,
			target: `${instances * 3}; ${instances}`,
			verdict: complete ? 'PASS' : 'FAIL',
		},
		{
			bench,
			measure: `Wall time at L = ${L} ms, median of ${REPEATS}: this package (Concurrency ${c}); HTTP Request node (Batching ${c} items per ${L} ms)`,
			result: `${ms(p.ours.elapsedMs)}; ${ms(p.http.elapsedMs)} (package ÷ HTTP Request = ${ratio(p.ours.elapsedMs / p.http.elapsedMs)})`,
			target: '≤ 1.00×',
			verdict: complete && p.ours.elapsedMs <= p.http.elapsedMs ? 'PASS' : 'FAIL',
		},
		{
			bench,
			measure: `Most calls in flight at once at L = ${L} ms (arrivals within one latency window): this package, whose Concurrency caps Describe calls and call-log downloads in flight, each; HTTP Request node, whose batching starts ${c} every ${L} ms whether or not the last ones have answered`,
			result: `${peakOverlap(p.ours.requests, L)}; ${peakOverlap(p.http.requests, L)}`,
		},
		{
			bench,
			// No verdict: at L this mostly counts event-loop turns. The HTTP Request node's answers come in bunches and share
			// turns; this package starts its workers apart so each answer is handled at once (for wall time), one turn each.
			// The cost itself is the 0 ms row below.
			measure: `CPU per call of this process at L = ${L} ms: this package (answers spread out, about one event-loop turn each); HTTP Request node (answers in bunches of ${c}, sharing turns)`,
			result: `${msCall(cpuOursL)}; ${msCall(cpuHttpL)} (${ratio(cpuOursL / cpuHttpL)})`,
		},
		{
			bench,
			measure: `CPU per call at 0 ms latency, the cost alone (median of ${CPU_REPEATS}): HTTP Request node (nothing to pace, so all ${instances} at once); this package with Concurrency ${instances} (as many in flight)`,
			result: `${msCall(cpuHttp)}; ${msCall(cpuOursWide)} (${ratio(cpuOursWide / cpuHttp)})`,
			target: '≤ 1.00×',
			verdict: complete && cpuOursWide <= cpuHttp ? 'PASS' : 'FAIL',
		},
		{
			bench,
			measure: `Same, this package at Concurrency ${c} (more event-loop turns per call than all at once)`,
			result: `${msCall(cpuOurs)} (${ratio(cpuOurs / cpuHttp)} of the HTTP Request node's)`,
		},
		{
			bench,
			measure:
				"The same 600 calls replayed at 0 ms, CPU per call: through n8n's HTTP helpers alone (probe node, this package's credential signs); bare node:http + SDK signing",
			result: `${msCall(helper)}; ${msCall(bare)}`,
		},
		{
			bench,
			measure: "n8n's own HTTP helper per call, apart from this package (helpers replay − bare replay)",
			result: msCall(helper - bare),
		},
		{
			bench,
			measure:
				"This package's code per call: its node work in n8n's engine (package flow − helpers replay); of which signing (its authenticate, measured alone)",
			result: `${msCall(cpuOurs - helper)}; ${msCall(p.signingMsPerCall)}`,
		},
		{
			bench,
			measure: "The HTTP Request node's own work per call, for comparison (HTTP Request flow − helpers replay: its parameters, expressions, response handling)",
			result: msCall(cpuHttp - helper),
		},
	];
}
