import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const LINT_TOOLS = path.dirname(fileURLToPath(import.meta.url));

/**
 * Installs this folder's tools once. `--ignore-scripts` because eslint-plugin-n8n-nodes-base's
 * preinstall runs `npx only-allow pnpm`, which fails under npm; the plugin needs no build step.
 */
export function ensureLintTools() {
	const marker = path.join(LINT_TOOLS, 'node_modules', '.package-lock.json');
	const lock = path.join(LINT_TOOLS, 'package-lock.json');
	if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= fs.statSync(lock).mtimeMs) return;
	console.log('Installing the lint tools (scripts/lint-tools, npm ci --ignore-scripts)...');
	execFileSync('npm', ['ci', '--ignore-scripts', '--no-fund', '--no-audit', '--loglevel=error'], {
		cwd: LINT_TOOLS,
		stdio: 'inherit',
	});
}
