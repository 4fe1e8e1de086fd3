/**
 * Cold load: what n8n pays at start-up for this package, i.e. require() and instantiate every
 * node and credential listed in package.json's n8n block, each time in a fresh process.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import { median } from './measure';
import { ms, type BenchResult } from './report';

const ROOT = join(__dirname, '..', '..');
const REPEATS = 5;

function packageFiles(): string[] {
	const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[]; credentials: string[] };
	};
	return [...pkg.n8n.nodes, ...pkg.n8n.credentials].map((file) => join(ROOT, file));
}

function sourcesBelow(dir: string): string[] {
	const found: string[] = [];
	for (const entry of readdirSync(dir, { withFileTypes: true })) {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) found.push(...sourcesBelow(path));
		else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && !entry.name.endsWith('.test.ts')) found.push(path);
	}
	return found;
}

/** Sources newer than their compiled file, or with no compiled file at all. */
function staleSources(): string[] {
	return ['nodes', 'credentials']
		.flatMap((dir) => sourcesBelow(join(ROOT, dir)))
		.filter((source) => {
			const built = join(ROOT, 'dist', relative(ROOT, source)).replace(/\.ts$/, '.js');
			return !existsSync(built) || statSync(built).mtimeMs < statSync(source).mtimeMs;
		});
}

/** Builds dist/ when it is missing or older than the sources, so the bench loads the current code. */
function ensureBuilt(files: string[]): string[] {
	const notes: string[] = [];
	const stale = staleSources();
	if (stale.length === 0 && files.every(existsSync)) return notes;
	const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
	const reason = stale.length ? `${stale.length} source files newer than dist/` : 'dist/ incomplete';
	notes.push(`Cold load: ran \`npm run build\` first (${reason}); exit code ${build.status}.`);
	if (build.status !== 0) {
		const firstError = `${build.stdout}\n${build.stderr}`.split('\n').find((line) => /error/i.test(line));
		notes.push(`Cold load: the build reported errors (first: ${firstError?.trim() ?? 'unknown'}); tsc still emits, so dist/ was used.`);
	}
	return notes;
}

interface ChildResult {
	totalMs: number;
	perFile: Array<{ file: string; ms: number }>;
	rss: number;
}

function runChild(files: string[], mode: 'preload' | 'cold'): ChildResult {
	const child = spawnSync(process.execPath, [join(__dirname, 'coldLoad.child.cjs'), JSON.stringify(files), mode], {
		cwd: ROOT,
		encoding: 'utf8',
	});
	if (child.status !== 0) throw new Error(`cold-load child failed: ${child.stderr.trim().split('\n').slice(-3).join(' ')}`);
	return JSON.parse(child.stdout) as ChildResult;
}

export async function benchColdLoad(): Promise<BenchResult> {
	const files = packageFiles();
	const notes = ensureBuilt(files);
	const missing = files.filter((file) => !existsSync(file));
	const bench = '5. Cold load';
	if (missing.length > 0) {
		return {
			name: 'coldLoad',
			rows: [{ bench, measure: 'require every node and credential', result: `not built: ${missing.map((f) => relative(ROOT, f)).join(', ')}`, verdict: 'FAIL' }],
			data: { missing },
			notes,
		};
	}
	const runs = { preload: [] as ChildResult[], cold: [] as ChildResult[] };
	for (let i = 0; i < REPEATS; i++) {
		runs.preload.push(runChild(files, 'preload'));
		runs.cold.push(runChild(files, 'cold'));
	}
	const medianOf = (list: ChildResult[]) => median(list.map((r) => r.totalMs));
	const perFile = files.map((file, index) => ({
		file: relative(ROOT, file),
		medianMs: median(runs.preload.map((r) => r.perFile[index].ms)),
	}));
	const slowest = [...perFile].sort((a, b) => b.medianMs - a.medianMs)[0];
	return {
		name: 'coldLoad',
		rows: [
			{
				bench,
				measure: `Require + instantiate ${files.length} files from dist/ (n8n-workflow already loaded, as in n8n), median of ${REPEATS} fresh processes`,
				result: ms(medianOf(runs.preload)),
			},
			{
				bench,
				measure: 'Same, n8n-workflow load included',
				result: ms(medianOf(runs.cold)),
			},
			{ bench, measure: 'Slowest file (first to pull in the shared code)', result: `${slowest.file.replace(/^dist\//, '')}: ${ms(slowest.medianMs)}` },
		],
		data: {
			files: files.map((f) => relative(ROOT, f)),
			repeats: REPEATS,
			preloadMs: runs.preload.map((r) => r.totalMs),
			coldMs: runs.cold.map((r) => r.totalMs),
			medianPreloadMs: medianOf(runs.preload),
			medianColdMs: medianOf(runs.cold),
			perFileMedianMs: perFile,
		},
		notes,
	};
}
