/**
 * `npm run bench`: runs the selected benches and prints one Markdown table (or JSON with --json).
 * The absolute numbers belong to this machine; the ratios are what to compare across machines.
 */
import { writeFileSync } from 'node:fs';

import { benchArchive } from './archive';
import { benchBigLog } from './bigLog';
import { benchChatbot } from './chatbot';
import { benchColdLoad } from './coldLoad';
import { parseOptions, type BenchName, type BenchOptions } from './options';
import { runQueueBench } from './queue';
import { machineInfo, machineLine, markdownTable, type BenchResult, type Row } from './report';
import { benchSigning } from './signing';

const RUNNERS: Record<BenchName, (options: BenchOptions) => Promise<BenchResult>> = {
	archive: (o) => benchArchive(o),
	chatbot: (o) => benchChatbot(o),
	signing: (o) => benchSigning(o.signingOps),
	bigLog: () => benchBigLog(),
	coldLoad: () => benchColdLoad(),
};

/** Table order follows the issue, whatever order --only lists them in. */
const ORDER: BenchName[] = ['archive', 'chatbot', 'signing', 'bigLog', 'coldLoad'];

async function main(): Promise<void> {
	// Queue mode starts Postgres, Redis and real n8n processes: a separate run, not one of the default benches.
	if (process.argv.includes('--queue')) return await runQueueBench(process.argv.slice(2));
	let options: BenchOptions;
	try {
		options = parseOptions(process.argv.slice(2));
	} catch (error) {
		console.error((error as Error).message);
		process.exit(2);
	}
	const log = (text: string) => {
		if (!options.json) process.stderr.write(`${text}\n`);
	};
	const machine = machineInfo();
	const results: BenchResult[] = [];
	const started = Date.now();
	for (const name of ORDER.filter((n) => options.only.includes(n))) {
		log(`running ${name}…`);
		const t0 = Date.now();
		try {
			results.push(await RUNNERS[name](options));
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			results.push({
				name,
				rows: [{ bench: name, measure: 'error', result: message.split('\n')[0], verdict: 'FAIL' }],
				data: { error: message },
			});
		}
		log(`  ${name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	}

	const settings = `latency ${options.latencyMs} ms per call, concurrency ${options.concurrency}`;
	const failed = results.some((r) => r.rows.some((row) => row.verdict === 'FAIL'));
	if (options.json) {
		console.log(
			JSON.stringify(
				{ machine, options, totalSeconds: (Date.now() - started) / 1000, failed, results },
				null,
				2,
			),
		);
	} else {
		const rows: Row[] = results.flatMap((r) => r.rows);
		const notes = results.flatMap((r) => r.notes ?? []);
		const text = [
			machineLine(machine, settings),
			'',
			markdownTable(rows),
			'',
			...notes.map((n) => `- ${n}`),
		].join('\n');
		console.log(text);
		log(`\ntotal ${((Date.now() - started) / 1000).toFixed(1)} s`);
		if (options.out) writeFileSync(options.out, `${text}\n`);
	}
	// The engine keeps module-level handles open; the bench is done, so leave without waiting on them.
	process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? (error.stack ?? error.message) : error);
	process.exit(2);
});
