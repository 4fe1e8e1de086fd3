#!/usr/bin/env node
'use strict';

/**
 * `npm start`: the package in a real n8n, against the local Alibaba Cloud emulator.
 *
 *  1. builds the package (npm run build)
 *  2. starts the emulator (port EMULATOR_PORT, default 9000, or a free one)
 *  3. installs n8n 2.8.4 into local-n8n/ once, if it is missing
 *  4. copies the package into n8n's community-node folder (.n8n-demo/.n8n/nodes/node_modules)
 *  5. imports the emulator credentials and the example workflows
 *  6. serves the editor on http://127.0.0.1:5678 (N8N_PORT) and prints the login
 *
 * Everything n8n keeps lives in .n8n-demo/ (gitignored), so the owner, credentials and your
 * edits survive restarts; `npm start -- --reset` starts from scratch. Ctrl-C stops everything.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { ROOT, DEMO_DIR, N8N_VERSION, PACKAGE_NAME } = require('./lib/paths');
const { N8nInstance } = require('./lib/n8n');
const { ensureN8n } = require('./install-n8n');
const { startEmulatorProcess } = require('./lib/emulator');
const { spawnManaged, stopAll, freePort, isPortFree } = require('./lib/proc');
const { loadExamples, emulatorCredentials, localizeWorkflow, DEMO_CALLBACK_TOKEN } = require('./lib/examples');
const { requiredDataTables, ensureDataTable } = require('./lib/dataTables');
const { tryIdRows, formatTryIds } = require('./lib/try-ids');

const args = new Set(process.argv.slice(2));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const STATE_FILE = path.join(DEMO_DIR, 'demo-state.json');
const FILES_DIR = path.join(DEMO_DIR, 'files');
const LOG_FILE = path.join(DEMO_DIR, 'n8n.log');
const OWNER_EMAIL = 'demo@example.com';

let stopping = false;

function step(n, text) {
	console.log(`\n[${n}/6] ${text}`);
}

function fail(message) {
	const error = new Error(message);
	error.userFacing = true;
	throw error;
}

function envPort(name, fallback) {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const port = Number(raw);
	if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`${name} must be a port number, got "${raw}"`);
	return port;
}

/** Runs a command with its output on our terminal; resolves with the exit code. */
function runVisible(command, commandArgs, { cwd = ROOT } = {}) {
	const child = spawnManaged(command, commandArgs, { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
	return child.exited.then(({ code, signal }) => (signal ? 1 : code));
}

function readState() {
	try {
		return JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
	} catch {
		return {};
	}
}

function writeState(state) {
	fs.writeFileSync(STATE_FILE, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

async function build() {
	step(1, 'Building the package (npm run build)');
	if (!fs.existsSync(path.join(ROOT, 'node_modules', 'typescript'))) {
		fail('The development dependencies are missing. Run `npm install` first, then `npm start`.');
	}
	if ((await runVisible(NPM, ['run', '--silent', 'build'])) !== 0) fail('The build failed (see above).');
	console.log('      dist/ is up to date');
}

async function startEmulator() {
	step(2, 'Starting the Alibaba Cloud emulator');
	let port = envPort('EMULATOR_PORT', 9000);
	if (!(await isPortFree(port))) {
		const wanted = port;
		port = await freePort();
		console.log(`      port ${wanted} is taken, using ${port} instead`);
	}
	const emulator = await startEmulatorProcess({ port });
	console.log(`      listening on ${emulator.url}`);
	return emulator;
}

async function ensureLocalN8n() {
	step(3, `Checking n8n ${N8N_VERSION} in local-n8n/`);
	const ok = await ensureN8n({ log: (line) => console.log(`      ${line}`) });
	if (!ok) fail('Installing n8n failed (see above). Fix the error and run `npm start` again.');
}

/** CLI imports run before the server starts: n8n reads the database once it is up. */
async function prepareN8n(emulator, state) {
	step(4, `Loading ${PACKAGE_NAME} into n8n`);
	fs.mkdirSync(FILES_DIR, { recursive: true });
	const n8n = new N8nInstance({
		userFolder: DEMO_DIR,
		port: envPort('N8N_PORT', 5678),
		brokerPort: await freePort(),
		fileAccess: [FILES_DIR],
		logFile: LOG_FILE,
		cliLogFile: path.join(DEMO_DIR, 'n8n-cli.log'),
	});
	if (!(await isPortFree(n8n.port))) {
		fail(`Port ${n8n.port} is already in use (another n8n?). Stop it, or run \`N8N_PORT=5679 npm start\`.`);
	}
	const { target, missing } = n8n.installPackage();
	if (missing.length) fail(`The build did not produce ${missing.join(', ')}.`);
	console.log(`      copied package.json and dist/ to ${path.relative(ROOT, target)}`);

	step(5, 'Importing the emulator credentials and the example workflows');
	const examples = loadExamples();
	const credentials = emulatorCredentials(examples, emulator.url);
	const importDir = path.join(DEMO_DIR, 'import');
	fs.rmSync(importDir, { recursive: true, force: true });
	fs.mkdirSync(path.join(importDir, 'workflows'), { recursive: true });

	if (state.emulatorUrl !== emulator.url || state.credentialIds?.join() !== credentials.map((c) => c.id).join()) {
		const file = path.join(importDir, 'credentials.json');
		fs.writeFileSync(file, JSON.stringify(credentials));
		await n8n.cli(['import:credentials', `--input=${file}`]);
		const log = fs.existsSync(n8n.cliLogFile) ? fs.readFileSync(n8n.cliLogFile, 'utf8') : '';
		if (!log.includes(`Successfully imported ${credentials.length} credential`)) {
			fail(`Importing the credentials failed; see ${path.relative(ROOT, n8n.cliLogFile)}.`);
		}
		state.emulatorUrl = emulator.url;
		state.credentialIds = credentials.map((c) => c.id);
		console.log(`      credentials: ${credentials.map((c) => `"${c.name}"`).join(', ')} → ${emulator.url}`);
	} else {
		console.log(`      credentials already point at ${emulator.url}`);
	}

	// Re-importing overwrites a workflow, so only new or changed example files are imported:
	// your edits in the editor stay until the example in the repository changes.
	state.imported = state.imported ?? {};
	const changed = examples.filter((e) => state.imported[e.name] !== e.hash);
	for (const e of changed) {
		const workflow = localizeWorkflow(e.workflow, { id: e.id });
		fs.writeFileSync(path.join(importDir, 'workflows', e.name), JSON.stringify(workflow));
	}
	if (changed.length) {
		await n8n.cli(['import:workflow', '--separate', `--input=${path.join(importDir, 'workflows')}`]);
		const log = fs.existsSync(n8n.cliLogFile) ? fs.readFileSync(n8n.cliLogFile, 'utf8') : '';
		if (!log.includes(`Successfully imported ${changed.length} workflow`)) {
			fail(`Importing the workflows failed; see ${path.relative(ROOT, n8n.cliLogFile)}.`);
		}
		for (const e of changed) state.imported[e.name] = e.hash;
		console.log(`      imported ${changed.map((e) => e.name).join(', ')}`);
	} else {
		console.log('      the example workflows are already imported (unchanged)');
	}
	fs.rmSync(importDir, { recursive: true, force: true });
	writeState(state);
	return { n8n, examples };
}

async function serve(n8n, state) {
	step(6, `Starting n8n ${N8N_VERSION} (log: ${path.relative(ROOT, LOG_FILE)})`);
	const started = Date.now();
	await n8n.start({ timeoutMs: 240000 });
	console.log(`      ready in ${Math.round((Date.now() - started) / 1000)} s`);

	if (!(await n8n.ownerSetUp())) {
		state.owner = { email: OWNER_EMAIL, password: `Demo-${crypto.randomBytes(6).toString('hex')}-1` };
		await n8n.setupOwner({ ...state.owner, firstName: 'Demo', lastName: 'Owner' });
		writeState(state);
	}
	let loginWorks = false;
	if (state.owner) {
		try {
			await n8n.login(state.owner);
			loginWorks = true;
		} catch {
			// The owner changed the password in the editor; theirs is the one to use.
		}
	}
	return loginWorks;
}

/**
 * The scheduled example writes to a Data table that must exist before it runs; n8n has no CLI
 * for tables, so they are created over the REST API once the owner is logged in.
 */
async function prepareDataTables(n8n, examples, loginWorks) {
	const tables = requiredDataTables(examples);
	for (const table of tables) {
		if (!loginWorks) {
			table.status = 'not checked (log in and create it as the sticky note says)';
			continue;
		}
		try {
			const result = await ensureDataTable(n8n, table);
			table.status = result.created ? 'created' : result.added.length ? `exists, added ${result.added.join(', ')}` : 'exists';
		} catch (error) {
			table.status = `could not be created: ${error.message}`;
		}
	}
	return tables;
}

async function banner(n8n, examples, state, loginWorks, emulator, tables) {
	const url = `http://127.0.0.1:${n8n.port}`;
	const width = Math.max(...examples.map((e) => (e.workflow.name ?? e.name).length));
	console.log('');
	console.log(`n8n ${N8N_VERSION} with ${PACKAGE_NAME} is running.`);
	console.log('');
	console.log(`  Open      ${url}  in your browser`);
	console.log(
		loginWorks
			? `  Log in    ${state.owner.email} / ${state.owner.password}`
			: '  Log in    with the owner account you set up (the demo password was changed)',
	);
	console.log(`  Emulator  ${emulator.url}  (credential "Alibaba Cloud (emulator)", callback token ${DEMO_CALLBACK_TOKEN})`);
	for (const table of tables) {
		console.log(`  Data table ${table.name}  ${table.status}  (Overview → Data tables; used by "${table.usedBy.join('", "')}")`);
	}
	console.log('  Workflows');
	for (const e of examples) console.log(`    ${(e.workflow.name ?? e.name).padEnd(width)}  ${url}/workflow/${e.id}`);
	try {
		const { fixtures } = await emulator.fixtures();
		console.log('  Ids the emulator knows (paste them into a node; credential "Alibaba Cloud (emulator)")');
		for (const line of formatTryIds(tryIdRows(fixtures))) console.log(line);
	} catch (error) {
		console.log(`  (the emulator's ids could not be read: ${error.message})`);
	}
	console.log('');
	console.log('Press Ctrl-C to stop n8n and the emulator.');
}

async function shutdown(code) {
	if (stopping) return;
	stopping = true;
	console.log('\nStopping n8n and the emulator…');
	await stopAll(15000);
	console.log('Stopped.');
	process.exit(code);
}

async function main() {
	let firstSignalAt = 0;
	process.on('SIGINT', () => {
		// npm forwards the terminal's SIGINT to us as well, so one Ctrl-C can arrive twice.
		if (stopping && Date.now() - firstSignalAt > 2000) {
			console.log('Forcing…');
			process.exit(130);
		}
		if (!stopping) firstSignalAt = Date.now();
		void shutdown(0);
	});
	process.on('SIGTERM', () => void shutdown(0));
	process.on('SIGHUP', () => void shutdown(0));

	if (args.has('--reset')) {
		console.log(`Removing ${path.relative(ROOT, DEMO_DIR)}/ (owner, credentials, workflows, executions, Data tables)`);
		fs.rmSync(DEMO_DIR, { recursive: true, force: true });
	}
	fs.mkdirSync(DEMO_DIR, { recursive: true });
	const state = readState();

	if (!args.has('--no-build')) await build();
	const emulator = await startEmulator();
	await ensureLocalN8n();
	const { n8n, examples } = await prepareN8n(emulator, state);
	const loginWorks = await serve(n8n, state);
	const tables = await prepareDataTables(n8n, examples, loginWorks);
	await banner(n8n, examples, state, loginWorks, emulator, tables);

	// Either child dying ends the demo: a half-running setup only confuses.
	const [which, outcome] = await Promise.race([
		n8n.server.exited.then((o) => ['n8n', o]),
		emulator.child.exited.then((o) => ['The emulator', o]),
	]);
	if (!stopping) {
		console.error(`\n${which} exited unexpectedly (code ${outcome.code}, signal ${outcome.signal}).`);
		if (which === 'n8n') console.error(n8n.serverOutput.slice(-3000));
		await shutdown(1);
	}
}

main().catch(async (error) => {
	console.error(`\n${error.userFacing ? error.message : error.stack}`);
	await stopAll(5000);
	process.exit(1);
});
