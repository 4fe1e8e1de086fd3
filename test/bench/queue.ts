/**
 * `npm run bench -- --queue [--callbacks=400] [--latency=50] [--no-build] [--json] [--out=FILE]`:
 * the queue-mode bench (test/bench/queueMode.js). It starts Postgres, Redis and a real n8n main
 * plus workers, so it takes minutes and is not part of the default `npm run bench`.
 */
import { writeFileSync } from 'node:fs';

import { machineInfo, machineLine, markdownTable, type BenchResult } from './report';

interface QueueBenchOptions {
	callbacksPerPhase: number;
	latencyMs: number;
	build: boolean;
	log: (line: string) => void;
}


function numberFlag(argv: string[], name: string, fallback: number): number {
	const hit = argv.find((a) => a.startsWith(`--${name}=`));
	if (!hit) return fallback;
	const value = Number(hit.slice(name.length + 3));
	if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number, got "${hit}"`);
	return value;
}

export async function runQueueBench(argv: string[]): Promise<void> {
	const json = argv.includes('--json');
	const out = argv.find((a) => a.startsWith('--out='))?.slice('--out='.length);
	const machine = machineInfo();
	const started = Date.now();
	const options: QueueBenchOptions = {
		callbacksPerPhase: Math.floor(numberFlag(argv, 'callbacks', 400)),
		latencyMs: numberFlag(argv, 'latency', 50),
		build: !argv.includes('--no-build'),
		log: (line) => {
			if (!json) process.stderr.write(`${line}\n`);
		},
	};
	let result: BenchResult;
	try {
		// The stack helpers are the CommonJS modules `npm run test:queue` runs on: required (they have
		// no types), and only here, so the default benches never load them.
		const { benchQueueMode } = require('./queueMode.js') as { benchQueueMode: (o: QueueBenchOptions) => Promise<BenchResult> };
		result = await benchQueueMode(options);
	} catch (error) {
		const message = error instanceof Error ? error.message : String(error);
		result = { name: 'queue', rows: [{ bench: 'queue', measure: 'error', result: message.split('\n')[0], verdict: 'FAIL' }], data: { error: message } };
	}
	const failed = result.rows.some((row) => row.verdict === 'FAIL');
	const settings = `queue mode, latency ${options.latencyMs} ms per call, ${options.callbacksPerPhase} callbacks per phase`;
	if (json) {
		console.log(JSON.stringify({ machine, options, totalSeconds: (Date.now() - started) / 1000, failed, results: [result] }, null, 2));
	} else {
		const text = [machineLine(machine, settings), '', markdownTable(result.rows), '', ...(result.notes ?? []).map((n) => `- ${n}`)].join('\n');
		console.log(text);
		if (failed) console.error(String(result.data.error ?? ''));
		options.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(1)} s`);
		if (out) writeFileSync(out, `${text}\n`);
	}
	process.exit(failed ? 1 : 0);
}
