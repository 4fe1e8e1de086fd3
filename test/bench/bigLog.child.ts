/**
 * Child process of the call-log size bench (bigLog.ts). One process per measurement, so each
 * peak belongs to one size and one way of reading. The emulator lives in the parent, so this
 * process holds only the reader's side. Prints one JSON line.
 *
 *   BENCH_MODE=engine:   ICE Archive getCallLog of big-<N> in n8n's engine (the node as shipped)
 *   BENCH_MODE=<strategy>: the same download and mapping outside the engine, one way of parsing
 *   (see STRATEGIES), to compare peaks on equal terms.
 */
import { get } from 'node:http';
import { performance } from 'node:perf_hooks';
import { GCProfiler } from 'node:v8';

import type { IDataObject } from 'n8n-workflow';

import {
	conversationFromIceCallLog,
	conversationFromIceLogParts,
	sentenceFromIceLogEntry,
	sentenceFromIceLogMembers,
	type Conversation,
	type ConversationSentence,
} from '../../nodes/shared/conversation';
import { JsonArrayFieldReader } from '../../nodes/shared/transport/jsonArrayFieldReader';
import { SizedList } from '../../nodes/shared/transport/sizedList';
import { FIXTURES } from '../emulator/fixture-ids';
import { EMULATOR_KEYS } from '../emulator/keys';
import { emulatorCredentials } from '../helpers/credentials';
import { runNode } from '../helpers/engine';
import { sampleMemory, type MemoryPeak } from './measure';

export const STRATEGIES = ['text-keep', 'text-release', 'reviver', 'streaming'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface ChildRun {
	elapsedMs: number;
	baseline: { rss: number; heapUsed: number; external: number; arrayBuffers: number };
	peak: MemoryPeak;
	/** The kernel's RSS high-water mark when this run raised it (catches spikes between samples), else 0. */
	maxRssOs: number;
	/** Heap still used after a full GC with the result alive: what the output itself costs. */
	retainedHeap: number;
	sentences: number;
	outputJsonBytes: number;
	conversationJsonBytes: number;
	error?: string;
}

export interface ChildReport {
	mode: string;
	sentences: number;
	runs: ChildRun[];
	/** The kernel's high-water mark for the whole process (warm-up included). */
	maxRssOs: number;
}

const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});

/** The log's chunks as node:http delivers them, as the node's download sees them. */
async function forEachChunk(url: string, onChunk: (chunk: Buffer) => void, onDeclaredSize?: (bytes: number) => void): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		get(url, (response) => {
			onDeclaredSize?.(Number(response.headers['content-length']));
			response.on('data', onChunk);
			response.on('end', resolve);
			response.on('error', reject);
		}).on('error', reject);
	});
}

async function downloadText(url: string): Promise<string> {
	const chunks: Buffer[] = [];
	await forEachChunk(url, (chunk) => chunks.push(chunk));
	return Buffer.concat(chunks).toString('utf8');
}

/** Each strategy returns what a node would output: the conversation, and the raw log if it keeps it. */
const READERS: Record<Strategy, (url: string, probe: () => void) => Promise<IDataObject>> = {
	// The node before issue 18: text, one parse, map, and both graphs in the output.
	'text-keep': async (url, probe) => {
		const callLog = JSON.parse(await downloadText(url)) as IDataObject;
		probe();
		const conversation = conversationFromIceCallLog(callLog);
		probe();
		return { conversation, callLog };
	},
	// Same, but the text and the raw graph are dropped as soon as the conversation is built.
	'text-release': async (url, probe) => {
		let callLog: IDataObject | undefined = JSON.parse(await downloadText(url)) as IDataObject;
		probe();
		const conversation = conversationFromIceCallLog(callLog);
		callLog = undefined;
		probe();
		return { conversation };
	},
	// Map while parsing: JSON.parse's reviver swaps each dialog entry for its sentence.
	reviver: async (url, probe) => {
		const text = await downloadText(url);
		const callLog = JSON.parse(text, function (this: unknown, _key, value: unknown) {
			if (Array.isArray(this) && value && typeof value === 'object' && !Array.isArray(value) && 'role' in value) {
				return sentenceFromIceLogEntry(value as IDataObject);
			}
			return value;
		}) as IDataObject & { dialog: ConversationSentence[] };
		probe();
		const { dialog, ...header } = callLog;
		return { conversation: conversationFromIceLogParts(header, dialog) };
	},
	// The node now: map each batch of sentences as its bytes arrive (JsonArrayFieldReader), into a list sized from the first batch, each
	// sentence built from its members as they are parsed from the bytes.
	streaming: async (url, probe) => {
		const sentences = new SizedList<ConversationSentence>();
		const reader = new JsonArrayFieldReader(
			'dialog',
			(element) => sentences.add(element as ConversationSentence),
			sentenceFromIceLogMembers,
		);
		let declared = NaN;
		await forEachChunk(
			url,
			(chunk) => {
				reader.push(chunk);
				if (reader.elementBytes > 0 && sentences.length > 0) sentences.sizeFor(declared, reader.elementBytes / sentences.length);
			},
			(bytes) => (declared = bytes),
		);
		probe();
		return { conversation: conversationFromIceLogParts(reader.end().fields, sentences.toArray()) };
	},
};

async function measure(work: (probe: () => void) => Promise<IDataObject | undefined>): Promise<ChildRun> {
	collect();
	const baseline = process.memoryUsage();
	const maxRssBefore = process.resourceUsage().maxRSS * 1024;
	// The heap's peak is just before a collection, which a timer can miss: V8 reports the heap at the start of each one.
	const gcs = new GCProfiler();
	gcs.start();
	const sampler = sampleMemory(5);
	const start = performance.now();
	let output: IDataObject | undefined;
	let error: string | undefined;
	try {
		output = await work(() => sampler.sample());
	} catch (caught) {
		error = (caught as Error).message;
	}
	const elapsedMs = performance.now() - start;
	const peak = sampler.stop();
	for (const gc of gcs.stop()?.statistics ?? []) {
		peak.heapUsed = Math.max(peak.heapUsed, gc.beforeGC.heapStatistics.usedHeapSize);
	}
	const maxRssAfter = process.resourceUsage().maxRSS * 1024;
	// The high-water mark counts only if this run raised it; else an earlier moment (module loading) set it.
	const maxRssOs = maxRssAfter > maxRssBefore ? maxRssAfter : 0;
	collect();
	const retainedHeap = process.memoryUsage().heapUsed - baseline.heapUsed;
	const conversation = output?.conversation as Conversation | undefined;
	const run: ChildRun = {
		elapsedMs,
		baseline: { rss: baseline.rss, heapUsed: baseline.heapUsed, external: baseline.external, arrayBuffers: baseline.arrayBuffers },
		peak,
		maxRssOs,
		retainedHeap,
		sentences: conversation?.sentences?.length ?? 0,
		outputJsonBytes: output ? Buffer.byteLength(JSON.stringify(output)) : 0,
		conversationJsonBytes: conversation ? Buffer.byteLength(JSON.stringify(conversation)) : 0,
		error,
	};
	output = undefined;
	return run;
}

async function main(): Promise<void> {
	const url = process.env.BENCH_EMULATOR_URL;
	const mode = process.env.BENCH_MODE ?? 'engine';
	const sentences = Number(process.env.BENCH_SENTENCES ?? FIXTURES.ice.bigSentenceCount);
	const repeats = Number(process.env.BENCH_REPEATS ?? 3);
	const includeRawCallLog = process.env.BENCH_INCLUDE_RAW === '1';
	if (!url) throw new Error('BENCH_EMULATOR_URL is not set; this script is started by test/bench/bigLog.ts');
	const instanceId = `big-${sentences}`;
	const runs: ChildRun[] = [];

	if (mode === 'engine') {
		const credentials = emulatorCredentials(url, EMULATOR_KEYS);
		const run = async (id: string) =>
			await runNode('alibabaIceArchive', { operation: 'getCallLog', instanceId: id, options: { includeRawCallLog } }, { credentials });
		// Small runs first, so module loading and JIT warm-up are not counted as the big log's cost: a
		// seed log (read whole) and a 1,000-sentence one (129 KB, streamed), so both ways of reading are warm.
		await run(FIXTURES.ice.seedInstanceId);
		await run('big-1000');
		for (let i = 0; i < repeats; i++) {
			runs.push(
				await measure(async () => {
					const result = await run(instanceId);
					const error = result.error('Node');
					if (error) throw error;
					return result.items[0]?.json;
				}),
			);
		}
	} else {
		const reader = READERS[mode as Strategy];
		if (!reader) throw new Error(`unknown BENCH_MODE ${mode}`);
		const logUrl = `${url}/calllogs/${instanceId}.json`;
		await reader(`${url}/calllogs/big-100.json`, () => {});
		for (let i = 0; i < repeats; i++) runs.push(await measure(async (probe) => await reader(logUrl, probe)));
	}
	const report: ChildReport = { mode, sentences, runs, maxRssOs: process.resourceUsage().maxRSS * 1024 };
	process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error instanceof Error ? (error.stack ?? error.message) : error);
		process.exit(1);
	},
);
