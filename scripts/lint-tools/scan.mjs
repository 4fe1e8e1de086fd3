#!/usr/bin/env node
/**
 * Runs n8n's own verification scanner (@n8n/scan-community-package's analyzePackage, with its
 * community-nodes rules and the eslint-plugin-n8n-nodes-base rule sets, inline disabling comments
 * ignored) on this package, the way the Creator Portal does:
 *
 *   node scripts/lint-tools/scan.mjs source    the source: package.json and {nodes,credentials}/**
 *   node scripts/lint-tools/scan.mjs tarball   `npm pack`, unpacked: the compiled .js and package.json
 *
 * The scanner itself downloads the published package and its provenance-attested source; this
 * runs the same analysis on the local tree and on the local tarball, with no network.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { ensureLintTools, LINT_TOOLS } from './ensure.mjs';

const ROOT = path.resolve(LINT_TOOLS, '..', '..');

async function scan(dir, patterns) {
	ensureLintTools();
	const scanner = path.join(LINT_TOOLS, 'node_modules', '@n8n', 'scan-community-package', 'scanner', 'scanner.mjs');
	const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(scanner);
	const result = await analyzePackage(dir, patterns ?? SOURCE_FILE_PATTERNS);
	if (result.details) console.log(result.details);
	return result;
}

function packTarball() {
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-scan-'));
	const out = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', work], {
		cwd: ROOT,
		encoding: 'utf8',
	});
	const tarball = path.join(work, out.trim().split('\n').pop());
	const dir = path.join(work, 'package');
	fs.mkdirSync(dir);
	execFileSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
	return { work, dir };
}

async function main() {
	const mode = process.argv[2] ?? 'source';
	let result;
	if (mode === 'source') {
		result = await scan(ROOT);
		console.log(result.passed ? 'scanner (source): no violations' : `scanner (source): ${result.message}`);
	} else if (mode === 'tarball') {
		if (!fs.existsSync(path.join(ROOT, 'dist'))) throw new Error('dist/ is missing: run `npm run build` first');
		const { work, dir } = packTarball();
		try {
			// The Portal's tarball leg: compiled JavaScript and the published package.json only.
			result = await scan(dir, ['**/*.js', 'package.json']);
			const files = fs.readdirSync(dir);
			console.log(`tarball contents: ${files.join(', ')}`);
		} finally {
			fs.rmSync(work, { recursive: true, force: true });
		}
		console.log(result.passed ? 'scanner (tarball): no violations' : `scanner (tarball): ${result.message}`);
	} else {
		throw new Error(`unknown mode "${mode}" (source | tarball)`);
	}
	process.exit(result.passed ? 0 : 1);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	main().catch((error) => {
		console.error(error);
		process.exit(1);
	});
}
