#!/usr/bin/env node
'use strict';

/**
 * Installs the pinned n8n into local-n8n/ once (about 2.3 GB, a few minutes), showing progress.
 * `npm start` calls this; CI and anyone else can run `node scripts/install-n8n.js`.
 *
 * Why `npm install --no-save` and not `npm ci`: the lock file has no entries for the foreign
 * platform builds of some optional native packages (e.g. @msgpackr-extract/*-darwin-*), which the
 * registry this project uses does not serve, and npm 11's `ci` refuses such a lock as "out of sync".
 * `install --no-save` still takes every version from the lock and leaves the lock file untouched.
 */

const fs = require('node:fs');
const path = require('node:path');

const { LOCAL_N8N, N8N_VERSION } = require('./lib/paths');
const { installedN8nVersion } = require('./lib/n8n');
const { spawnManaged } = require('./lib/proc');

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function folderMegabytes(dir) {
	let bytes = 0;
	const stack = [dir];
	while (stack.length) {
		const current = stack.pop();
		let entries;
		try {
			entries = fs.readdirSync(current, { withFileTypes: true });
		} catch {
			continue;
		}
		for (const entry of entries) {
			const full = path.join(current, entry.name);
			if (entry.isDirectory()) stack.push(full);
			else if (entry.isFile()) {
				try {
					bytes += fs.statSync(full).size;
				} catch {
					// Removed while we counted.
				}
			}
		}
	}
	return Math.round(bytes / 1e6);
}

/** Resolves with true when n8n N8N_VERSION is in local-n8n/ (installing it if needed). */
async function ensureN8n({ log = (line) => console.log(line) } = {}) {
	const found = installedN8nVersion();
	if (found === N8N_VERSION) {
		log(`n8n ${found} is installed in local-n8n/`);
		return true;
	}
	log(
		found
			? `found n8n ${found} in local-n8n/; installing ${N8N_VERSION} instead`
			: `installing n8n ${N8N_VERSION} into local-n8n/ once (about 2.3 GB, a few minutes)`,
	);
	const started = Date.now();
	const nodeModules = path.join(LOCAL_N8N, 'node_modules');
	// npm draws its own progress bar only on a terminal; this line shows progress everywhere.
	const heartbeat = setInterval(() => {
		const seconds = Math.round((Date.now() - started) / 1000);
		log(`… ${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s, ${folderMegabytes(nodeModules)} MB in local-n8n/node_modules`);
	}, 15000);
	const child = spawnManaged(NPM, ['install', '--prefix', LOCAL_N8N, '--no-save', '--no-audit', '--no-fund', '--progress=true'], {
		cwd: LOCAL_N8N,
		stdio: ['ignore', 'inherit', 'inherit'],
	});
	const { code, signal } = await child.exited;
	clearInterval(heartbeat);
	const now = installedN8nVersion();
	if (code !== 0 || now !== N8N_VERSION) {
		log(`installing n8n failed (npm exited with ${signal ?? code}; local-n8n/ has ${now ?? 'no n8n'})`);
		return false;
	}
	log(`installed n8n ${N8N_VERSION} in ${Math.round((Date.now() - started) / 1000)} s`);
	return true;
}

module.exports = { ensureN8n };

if (require.main === module) {
	ensureN8n().then(
		(ok) => process.exit(ok ? 0 : 1),
		(error) => {
			console.error(error);
			process.exit(1);
		},
	);
}
