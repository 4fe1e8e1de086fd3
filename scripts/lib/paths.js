'use strict';

const path = require('node:path');

const ROOT = path.resolve(__dirname, '..', '..');
const PACKAGE_JSON = require(path.join(ROOT, 'package.json'));

/** The n8n version the package is proven against; local-n8n/package.json pins the same. */
const N8N_VERSION = '2.8.4';

// LOCAL_N8N_DIR points at another folder holding the same pinned n8n (e.g. to try a fresh install).
const LOCAL_N8N = process.env.LOCAL_N8N_DIR ? path.resolve(process.env.LOCAL_N8N_DIR) : path.join(ROOT, 'local-n8n');

module.exports = {
	ROOT,
	PACKAGE_NAME: PACKAGE_JSON.name,
	PACKAGE_JSON,
	N8N_VERSION,
	LOCAL_N8N,
	N8N_PACKAGE_DIR: path.join(LOCAL_N8N, 'node_modules', 'n8n'),
	// n8n's bin is a plain Node script; running it with our own node avoids depending on a shell shim.
	N8N_BIN: path.join(LOCAL_N8N, 'node_modules', 'n8n', 'bin', 'n8n'),
	EXAMPLES_DIR: path.join(ROOT, 'examples'),
	DEMO_DIR: path.join(ROOT, '.n8n-demo'),
	TSX_CLI: path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
	EMULATOR_CLI: path.join(ROOT, 'test', 'emulator', 'cli.ts'),
};
