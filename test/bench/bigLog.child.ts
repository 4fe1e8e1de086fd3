/**
 * Child process of the big-call-log bench: runs ICE Archive getCallLog in n8n's engine against
 * the emulator whose URL the parent passes in BENCH_EMULATOR_URL, and prints one JSON line with
 * time and memory. The emulator lives in the parent, so this process holds only the node's side.
 */
import { performance } from 'node:perf_hooks';

import type { IDataObject } from 'n8n-workflow';

import { FIXTURES } from '../emulator/fixture-ids';
import { EMULATOR_KEYS } from '../emulator/keys';
import { emulatorCredentials } from '../helpers/credentials';
import { runNode } from '../helpers/engine';
import { sampleMemory } from './measure';

const NODE_TYPE = 'alibabaIceArchive';

/** getCallLog of one instance with the default options (the 100k log is under the default size cap). */
const parameters = (instanceId: string): IDataObject => ({ operation: 'getCallLog', instanceId });

async function main(): Promise<void> {
	const url = process.env.BENCH_EMULATOR_URL;
	if (!url) throw new Error('BENCH_EMULATOR_URL is not set; this script is started by test/bench/bigLog.ts');
	const credentials = emulatorCredentials(url, EMULATOR_KEYS);
	const collect = (globalThis as { gc?: () => void }).gc;

	// A tiny run first, so module loading and JIT warm-up are not counted as the big log's cost.
	await runNode(NODE_TYPE, parameters(FIXTURES.ice.seedInstanceId), { credentials });
	collect?.();
	const baseline = process.memoryUsage();

	const sampler = sampleMemory(10);
	const start = performance.now();
	const result = await runNode(NODE_TYPE, parameters(FIXTURES.ice.bigInstanceId), { credentials });
	const elapsedMs = performance.now() - start;
	const peak = sampler.stop();
	const error = result.error('Node');
	const first = result.items[0]?.json as { conversation?: { sentences?: unknown[] } } | undefined;
	process.stdout.write(
		`${JSON.stringify({
			elapsedMs,
			baseline,
			peak,
			// The kernel's high-water mark also catches a spike between two samples.
			maxRssOs: process.resourceUsage().maxRSS * 1024,
			items: result.items.length,
			sentences: first?.conversation?.sentences?.length ?? 0,
			error: error ? error.message : undefined,
		})}\n`,
	);
}

main().then(
	() => process.exit(0),
	(error: unknown) => {
		console.error(error instanceof Error ? (error.stack ?? error.message) : error);
		process.exit(1);
	},
);
