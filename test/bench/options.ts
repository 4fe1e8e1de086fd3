export const BENCH_NAMES = ['archive', 'chatbot', 'signing', 'bigLog', 'coldLoad'] as const;
export type BenchName = (typeof BENCH_NAMES)[number];

export interface BenchOptions {
	/** Emulator delay per API call, ms. */
	latencyMs: number;
	/** The nodes' concurrency option for the fan-out benches. */
	concurrency: number;
	only: BenchName[];
	json: boolean;
	/** Signatures per implementation per round. */
	signingOps: number;
	/** Whether the archive and chatbot benches also run the one-after-another baseline. */
	runSequential: boolean;
	/** Also write the Markdown report to this file. */
	out?: string;
}

const USAGE = `Usage: npm run bench -- [--latency=50] [--concurrency=10] [--only=${BENCH_NAMES.join(',')}] [--json]
       [--signing-ops=20000] [--no-sequential] [--out=FILE]`;

function flagValue(argv: string[], name: string): string | undefined {
	const prefix = `--${name}=`;
	const hit = argv.find((arg) => arg.startsWith(prefix));
	if (hit !== undefined) return hit.slice(prefix.length);
	const index = argv.indexOf(`--${name}`);
	if (index !== -1 && argv[index + 1] !== undefined && !argv[index + 1].startsWith('--')) return argv[index + 1];
	return undefined;
}

function numberFlag(argv: string[], name: string, fallback: number, min: number): number {
	const raw = flagValue(argv, name);
	if (raw === undefined) return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value < min) throw new Error(`--${name} needs a number >= ${min}, got "${raw}".\n${USAGE}`);
	return value;
}

export function parseOptions(argv: string[]): BenchOptions {
	if (argv.includes('--help') || argv.includes('-h')) {
		console.log(USAGE);
		process.exit(0);
	}
	const known = ['latency', 'concurrency', 'only', 'json', 'signing-ops', 'no-sequential', 'out'];
	for (const arg of argv) {
		const name = arg.replace(/^--/, '').split('=')[0];
		if (arg.startsWith('--') && !known.includes(name)) throw new Error(`Unknown flag ${arg}.\n${USAGE}`);
	}
	const onlyRaw = flagValue(argv, 'only');
	const only = onlyRaw === undefined ? [...BENCH_NAMES] : onlyRaw.split(',').map((s) => s.trim()).filter(Boolean);
	for (const name of only) {
		if (!(BENCH_NAMES as readonly string[]).includes(name)) {
			throw new Error(`--only: unknown bench "${name}"; choose from ${BENCH_NAMES.join(', ')}.`);
		}
	}
	return {
		latencyMs: numberFlag(argv, 'latency', 50, 0),
		concurrency: Math.floor(numberFlag(argv, 'concurrency', 10, 1)),
		only: only as BenchName[],
		json: argv.includes('--json'),
		signingOps: Math.floor(numberFlag(argv, 'signing-ops', 20000, 100)),
		runSequential: !argv.includes('--no-sequential'),
		out: flagValue(argv, 'out'),
	};
}
