'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ROOT, N8N_VERSION } = require('../../../scripts/lib/paths');
const { installedN8nVersion } = require('../../../scripts/lib/n8n');
const { ensureN8n } = require('../../../scripts/install-n8n');
const { startEmulatorProcess } = require('../../../scripts/lib/emulator');
const { run } = require('../../../scripts/lib/proc');
const { loadExamples, emulatorAccessKeyData, localizeWorkflow } = require('../../../scripts/lib/examples');
const { readLog, tail } = require('../../e2e/lib/util');
const { QueueCluster } = require('./cluster');
const { N8N_DATABASE, createDatabases, postgresCredential } = require('./database');
const { ensureServicePackages, startPostgres, startRedis } = require('./services');

const WORKFLOWS_DIR = path.join(__dirname, '..', 'workflows');
const CALLBACK_TOKEN = 'queue-callback-token-0123456789';
const OWNER = { email: 'queue-owner@example.com', password: 'Queue-Owner-Passw0rd', firstName: 'Queue', lastName: 'Owner' };

/** Debian packages, n8n 2.8.4 and dist/: everything the run needs before the clock starts. */
async function prepare({ build, log }) {
	await ensureServicePackages({ log });
	if (installedN8nVersion() !== N8N_VERSION && !(await ensureN8n({ log }))) throw new Error(`installing n8n ${N8N_VERSION} failed`);
	if (build) {
		const result = await run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build'], { cwd: ROOT, timeoutMs: 300000 });
		if (result.code !== 0) throw new Error(`npm run build failed:\n${(result.stdout + result.stderr).slice(-3000)}`);
	}
}

/**
 * A throw-away folder in the system temp dir: Postgres runs as the `postgres` user when we are
 * root, and must be able to reach its data folder, so the folder is not private to root.
 */
function makeWorkDir() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-queue-'));
	fs.chmodSync(dir, 0o755);
	return dir;
}

function workflowFiles(emulatorUrl) {
	return loadExamples(WORKFLOWS_DIR).map((e) => ({
		...e,
		workflow: JSON.parse(JSON.stringify(e.workflow).replaceAll('__EMULATOR_URL__', emulatorUrl)),
	}));
}

/**
 * Whether the built ICE Archive node offers an option (the "Wait For Call Log" option arrives in
 * another change; the workload turns it on once the node has it).
 */
function archiveNodeHasOption(name) {
	const file = path.join(ROOT, 'dist', 'nodes', 'AlibabaIceArchive', 'AlibabaIceArchive.node.js');
	const { AlibabaIceArchive } = require(file);
	return JSON.stringify(new AlibabaIceArchive().description).includes(`"name":"${name}"`);
}

/** Starts Postgres, Redis, the emulator and a queue-mode n8n (main + `workers` workers), and imports the test workflows. */
async function startStack(ctx, { workers = 2, instancesPerAgent, latencyMs = 50, transform = (w) => w, log }) {
	ctx.workDir = makeWorkDir();
	const servicesDir = path.join(ctx.workDir, 'services');
	fs.mkdirSync(servicesDir);
	[ctx.postgres, ctx.redis, ctx.emulator] = await Promise.all([
		startPostgres({ dir: servicesDir, log }),
		startRedis({ dir: ctx.workDir, log }),
		startEmulatorProcess({ port: 0, latencyMs, instancesPerAgent }),
	]);
	log(`emulator ${ctx.emulator.url} (${latencyMs} ms per call), work folder ${ctx.workDir}`);
	await createDatabases(ctx.postgres);

	ctx.cluster = new QueueCluster({ dir: ctx.workDir, postgres: ctx.postgres, redis: ctx.redis, database: N8N_DATABASE });
	const main = await ctx.cluster.createMain();

	const workflows = workflowFiles(ctx.emulator.url).map((e) => ({ ...e, workflow: transform(e.workflow, e.name) }));
	ctx.workflows = Object.fromEntries(workflows.map((e) => [e.name, e]));
	ctx.callbackToken = CALLBACK_TOKEN;
	const credentials = [
		{ id: 'queue-ak', name: 'Alibaba Cloud (emulator)', type: 'alibabaCloudAccessKeyApi', data: emulatorAccessKeyData(ctx.emulator.url) },
		{ id: 'queue-callback', name: 'ICE callback token (queue test)', type: 'alibabaIceAgentCallbackApi', data: { token: CALLBACK_TOKEN } },
		postgresCredential(ctx.postgres),
	];
	const importDir = path.join(ctx.workDir, 'import');
	fs.mkdirSync(path.join(importDir, 'workflows'), { recursive: true });
	fs.writeFileSync(path.join(importDir, 'credentials.json'), JSON.stringify(credentials));
	for (const e of workflows) {
		fs.writeFileSync(path.join(importDir, 'workflows', e.name), JSON.stringify(localizeWorkflow(e.workflow, { id: e.id })));
	}
	// The first CLI command also creates n8n's schema in Postgres, before any server or worker starts.
	await main.cli(['import:credentials', `--input=${path.join(importDir, 'credentials.json')}`], { timeoutMs: 240000 });
	if (!readLog(main.cliLogFile).includes(`Successfully imported ${credentials.length} credential`)) {
		throw new Error(`import:credentials failed:\n${tail(readLog(main.cliLogFile))}`);
	}
	await main.cli(['import:workflow', '--separate', `--input=${path.join(importDir, 'workflows')}`], { timeoutMs: 240000 });
	if (!readLog(main.cliLogFile).includes(`Successfully imported ${workflows.length} workflow`)) {
		throw new Error(`import:workflow failed:\n${tail(readLog(main.cliLogFile))}`);
	}

	const t0 = Date.now();
	await Promise.all([ctx.cluster.startMain(), ...Array.from({ length: workers }, () => ctx.cluster.addWorker())]);
	log(`main and ${workers} worker(s) ready in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
	await main.setupOwner(OWNER);
	await main.login(OWNER);
}

async function activate(n8n, id) {
	const current = await n8n.rest('GET', `/rest/workflows/${id}`);
	if (current.status !== 200) throw new Error(`GET workflow ${id}: ${current.status}`);
	const response = await n8n.rest('POST', `/rest/workflows/${id}/activate`, { versionId: current.body.data.versionId });
	if (response.status !== 200) throw new Error(`activate ${id}: ${response.status} ${JSON.stringify(response.body).slice(0, 800)}`);
}

function webhookIdOf(workflow, typeSuffix) {
	const node = workflow.nodes.find((n) => n.type.endsWith(typeSuffix));
	if (!node?.webhookId) throw new Error(`workflow "${workflow.name}" has no ${typeSuffix} node with a webhookId`);
	return node.webhookId;
}

/** Stops everything started, in order: n8n, then the services it used. Never throws. */
async function stopStack(ctx) {
	const attempt = async (fn) => {
		try {
			await fn();
		} catch {
			// Keep stopping the rest.
		}
	};
	if (ctx.cluster) await attempt(() => ctx.cluster.stop());
	if (ctx.emulator) await attempt(() => ctx.emulator.stop());
	if (ctx.redis) await attempt(() => ctx.redis.stop());
	if (ctx.postgres) await attempt(() => ctx.postgres.stop());
}

/** Every log of the stack with its last lines: what a hung or failed run prints. */
function logTails(ctx, chars = 2500) {
	const logs = [
		...(ctx.cluster?.processes() ?? []).map((p) => [`n8n ${p.name}`, p.logFile]),
		['postgres', ctx.postgres?.logFile],
		['redis', ctx.redis?.logFile],
	].filter(([, file]) => file);
	const parts = logs.map(([name, file]) => `--- ${name} (${file})\n${tail(readLog(file), chars)}`);
	if (ctx.emulator) parts.push(`--- emulator\n${tail(ctx.emulator.banner(), chars)}`);
	return parts.join('\n');
}

module.exports = { archiveNodeHasOption, prepare, startStack, stopStack, activate, webhookIdOf, logTails, CALLBACK_TOKEN };
