#!/usr/bin/env node
'use strict';

/**
 * End-to-end: the built package inside a real n8n 2.8.4 (local-n8n/), against the local emulator.
 *
 *   npm run test:e2e                      build, then all checks
 *   npm run test:e2e -- --no-build        use the existing dist/
 *   npm run test:e2e -- --screenshots     also capture docs/screenshots/*.png with Debian's chromium
 *                                         (installs it with apt-get if /usr/bin/chromium is missing);
 *                                         the editor checks always run in that chromium, and write
 *                                         their step screenshots there only with this flag
 *   npm run test:e2e -- --keep            keep the temporary n8n folder (test/e2e/.work/run-*) for a look
 *   npm run test:e2e -- --verbose         print details and stacks
 *
 * n8n comes from local-n8n/ (installed first if missing, as by `node scripts/install-n8n.js`), or
 * from LOCAL_N8N_DIR.
 * Ports are chosen free at random; everything temporary is removed at the end.
 */

const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const { ROOT, N8N_VERSION, PACKAGE_NAME } = require('../../scripts/lib/paths');
const { N8nInstance, installedN8nVersion } = require('../../scripts/lib/n8n');
const { ensureN8n } = require('../../scripts/install-n8n');
const { startEmulatorProcess } = require('../../scripts/lib/emulator');
const { run, freePort, stopAll } = require('../../scripts/lib/proc');
const { loadExamples, emulatorCredentials, localizeWorkflow } = require('../../scripts/lib/examples');
const { Harness, assert } = require('./lib/harness');
const { readLog, tail } = require('./lib/util');
const cliChecks = require('./checks/cli-workflows');
const serverChecks = require('./checks/server');
const editorChecks = require('./checks/editor');
const ramRoleChecks = require('./checks/ram-role');
const { ramRoleWorkflows } = require('./lib/ramRole');
const pollExample = require('./checks/poll-example');

const args = new Set(process.argv.slice(2));
const options = {
	build: !args.has('--no-build'),
	screenshots: args.has('--screenshots'),
	keep: args.has('--keep'),
	verbose: args.has('--verbose'),
};

const WORK_ROOT = path.join(ROOT, 'test', 'e2e', '.work');

async function main() {
	const h = new Harness({ verbose: options.verbose });
	const ctx = { h, options };
	let exitCode = 1;
	const onSignal = (signal) => {
		console.log(`\n${signal}: stopping n8n and the emulator`);
		void stopAll(3000).then(() => process.exit(130));
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	try {
		await runAll(ctx);
	} catch (error) {
		h.record('e2e runner', false, error instanceof Error ? error.stack : String(error), 0);
	} finally {
		await teardown(ctx);
		h.summary();
		exitCode = h.failed === 0 && h.passed > 0 ? 0 : 1;
	}
	process.exit(exitCode);
}

async function runAll(ctx) {
	const { h } = ctx;
	console.log(`End-to-end: ${PACKAGE_NAME} in n8n ${N8N_VERSION}\n`);

	const haveN8n = await h.check(`n8n ${N8N_VERSION} is installed in local-n8n/`, async () => {
		if (installedN8nVersion() === N8N_VERSION) return undefined;
		// A fresh clone: install it, as `npm start` would (a few minutes, once).
		assert.ok(await ensureN8n({ log: (line) => h.log(line) }), 'installing n8n failed; see the npm output above');
		return 'installed now';
	});
	if (options.build) {
		await h.check('npm run build', async () => {
			const result = await run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: ROOT, timeoutMs: 300000 });
			assert.equal(result.code, 0, `build failed:\n${(result.stdout + result.stderr).slice(-3000)}`);
		});
	}
	if (!haveN8n) {
		h.notRun([...cliChecks.NAMES, ...ramRoleChecks.NAMES, ...serverChecks.NAMES, ...editorChecks.NAMES], 'n8n is not installed');
		return;
	}

	fs.mkdirSync(WORK_ROOT, { recursive: true });
	ctx.workDir = fs.mkdtempSync(path.join(WORK_ROOT, 'run-'));
	ctx.filesDir = path.join(ctx.workDir, 'files');
	fs.mkdirSync(ctx.filesDir, { recursive: true });

	ctx.emulator = await startEmulatorProcess({ port: 0 });
	h.log(`emulator ${ctx.emulator.url}, work folder ${path.relative(ROOT, ctx.workDir)}`);

	ctx.n8n = new N8nInstance({
		userFolder: path.join(ctx.workDir, 'n8n'),
		port: await freePort(),
		brokerPort: await freePort(),
		cliBrokerPort: await freePort(),
		encryptionKey: crypto.randomBytes(24).toString('hex'),
		fileAccess: [ctx.filesDir],
		env: { N8N_LOG_LEVEL: options.verbose ? 'debug' : 'info' },
	});
	fs.mkdirSync(ctx.n8n.userFolder, { recursive: true });

	const prepared = await h.check('the package (package.json + dist) is installed as a community package', () => {
		const { target, missing } = ctx.n8n.installPackage();
		assert.deepEqual(missing, [], `files named in package.json "n8n" are missing from dist/: ${missing.join(', ')}`);
		return path.relative(ctx.workDir, target);
	});
	const imported = prepared && (await importEverything(ctx));
	if (!imported) {
		h.notRun([...cliChecks.NAMES, ...ramRoleChecks.NAMES, ...serverChecks.NAMES, ...editorChecks.NAMES], 'the workflows or credentials could not be imported');
		return;
	}
	await cliChecks.run(ctx);
	await ramRoleChecks.runCli(ctx);
	await serverChecks.run(ctx);
	if (ctx.n8n.cookie) await ramRoleChecks.runServer(ctx);
	else h.notRun(ramRoleChecks.SERVER_NAMES, 'n8n is not running or not logged in');
	if (ctx.owner) await editorChecks.run(ctx);
	else h.notRun(editorChecks.NAMES, 'n8n did not start or the owner could not log in');
	// Polls every minute since the server checks published it; by now most of its three polls are done.
	await pollExample.finish(ctx);
}

/** Credentials and workflows go in with the n8n CLI, as a user would script it. */
async function importEverything(ctx) {
	const { h, n8n, emulator } = ctx;
	const examples = loadExamples();
	const helperDir = path.join(__dirname, 'workflows');
	const helpers = loadExamples(helperDir).map((e) => ({
		...e,
		workflow: JSON.parse(JSON.stringify(e.workflow).replaceAll('__EMULATOR_URL__', emulator.url)),
	}));
	helpers.push(...ramRoleWorkflows(examples));
	ctx.examples = Object.fromEntries(examples.map((e) => [e.name, e]));
	ctx.helpers = Object.fromEntries(helpers.map((e) => [e.name, e]));
	ctx.credentials = [...emulatorCredentials([...examples, ...helpers], emulator.url), ...(await pollExample.prepareImport(ctx))];

	const importDir = path.join(ctx.workDir, 'import');
	fs.mkdirSync(path.join(importDir, 'workflows'), { recursive: true });
	const credentialsFile = path.join(importDir, 'credentials.json');
	fs.writeFileSync(credentialsFile, JSON.stringify(ctx.credentials, null, 2));
	for (const e of [...examples, ...helpers]) {
		const workflow = pollExample.localize(ctx, e.name, localizeWorkflow(e.workflow, { id: e.id }));
		fs.writeFileSync(path.join(importDir, 'workflows', e.name), JSON.stringify(workflow, null, 2));
	}

	const credentialsOk = await h.check(`n8n import:credentials (${ctx.credentials.map((c) => c.type).join(', ')})`, async () => {
		const result = await n8n.cli(['import:credentials', `--input=${credentialsFile}`]);
		const log = readLog(n8n.cliLogFile);
		assert.match(log, new RegExp(`Successfully imported ${ctx.credentials.length} credential`), `no success message:\n${tail(result.stdout + result.stderr + log)}`);
	});
	const workflowsOk = await h.check(`n8n import:workflow (${examples.length} examples + ${helpers.length} test workflow)`, async () => {
		const result = await n8n.cli(['import:workflow', '--separate', `--input=${path.join(importDir, 'workflows')}`]);
		const log = readLog(n8n.cliLogFile);
		const count = examples.length + helpers.length;
		assert.match(log, new RegExp(`Successfully imported ${count} workflow`), `no success message:\n${tail(result.stdout + result.stderr + log)}`);
	});
	await pollExample.noCodeCheck(ctx);
	return credentialsOk && workflowsOk;
}

async function teardown(ctx) {
	try {
		if (ctx.n8n) await ctx.n8n.stop();
		if (ctx.emulator) await ctx.emulator.stop();
		if (ctx.pollEmulator) await ctx.pollEmulator.stop();
		await stopAll(3000);
	} finally {
		if (ctx.workDir) {
			if (ctx.options.keep) console.log(`\nKept ${ctx.workDir}`);
			else fs.rmSync(ctx.workDir, { recursive: true, force: true });
		}
		try {
			if (fs.existsSync(WORK_ROOT) && fs.readdirSync(WORK_ROOT).length === 0) fs.rmdirSync(WORK_ROOT);
		} catch {
			// Another run may be using it.
		}
	}
}

if (require.main === module) void main();
