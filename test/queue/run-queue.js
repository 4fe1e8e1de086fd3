#!/usr/bin/env node
'use strict';

/**
 * Queue mode: the built package in a real n8n 2.8.4 scaled out as n8n documents it — a main
 * process, two `n8n worker` processes, Redis (Bull queue) and Postgres — against the emulator with
 * 50 ms latency per call.
 *
 *   npm run test:queue                     build, then all workloads
 *   npm run test:queue -- --no-build       use the existing dist/
 *   npm run test:queue -- --callbacks=200  a smaller workload 1 (default 1000)
 *   npm run test:queue -- --keep           keep the temporary folder (logs, Postgres data) for a look
 *   npm run test:queue -- --timeout=720    the bound in seconds for everything after install + build
 *
 * Installs what is missing first (Debian's postgresql and redis-server with apt-get, n8n with
 * scripts/install-n8n.js); that time is not part of the bound. A run that outlives the bound is
 * stopped, the tail of every process' log is printed, and the run fails. Ctrl-C stops everything.
 */

const fs = require('node:fs');
const os = require('node:os');

const { N8N_VERSION, PACKAGE_NAME } = require('../../scripts/lib/paths');
const { stopAll } = require('../../scripts/lib/proc');
const { Harness } = require('../e2e/lib/harness');
const { archiveNodeHasOption, prepare, startStack, stopStack, activate, webhookIdOf, logTails } = require('./lib/setup');
const callbacks = require('./workloads/callbacks');
const chatbot = require('./workloads/chatbot');
const archiveTrigger = require('./workloads/archiveTrigger');

function flag(name, fallback) {
	const hit = process.argv.find((a) => a.startsWith(`--${name}=`));
	if (!hit) return fallback;
	const value = Number(hit.split('=')[1]);
	if (!Number.isFinite(value) || value <= 0) throw new Error(`--${name} needs a positive number`);
	return value;
}

const args = new Set(process.argv.slice(2));
const options = {
	build: !args.has('--no-build'),
	keep: args.has('--keep'),
	verbose: args.has('--verbose'),
	callbacks: Math.floor(flag('callbacks', 1000)),
	timeoutS: flag('timeout', 720),
};

function workloadNames(ctx) {
	return [...callbacks.names(options.callbacks), ...chatbot.names(), ...(archiveTrigger.available(ctx) ? archiveTrigger.NAMES : [])];
}

/** The time left in the run's bound, for waits inside it. */
function budget(deadline) {
	return { remainingMs: (reserveMs = 0) => Math.max(1000, deadline - Date.now() - reserveMs) };
}

async function main() {
	const h = new Harness({ verbose: options.verbose });
	const ctx = { h, options, results: {} };
	let finishing = false;
	const finish = async (code) => {
		if (finishing) return;
		finishing = true;
		await stopStack(ctx);
		await stopAll(3000);
		if (ctx.workDir) {
			if (options.keep) console.log(`\nKept ${ctx.workDir}`);
			else fs.rmSync(ctx.workDir, { recursive: true, force: true });
		}
		h.summary();
		process.exit(code ?? (h.failed === 0 && h.passed > 0 ? 0 : 1));
	};
	const onSignal = (signal) => {
		console.log(`\n${signal}: stopping n8n, the workers, Redis, Postgres and the emulator`);
		h.record('queue-mode run', false, `interrupted by ${signal}`, 0);
		void finish(130);
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);

	console.log(`Queue mode: ${PACKAGE_NAME} in n8n ${N8N_VERSION}, main + 2 workers, Redis, Postgres\n`);
	const prepared = await h.check('install (postgresql, redis-server, n8n) and build', async () => {
		await prepare({ build: options.build, log: (line) => h.log(line) });
	});
	if (!prepared) return finish();

	const started = Date.now();
	const deadline = started + options.timeoutS * 1000;
	ctx.budget = budget(deadline);
	const watchdog = setTimeout(() => {
		const dead = ctx.cluster?.deadProcess();
		h.record(
			`the run finishes within ${options.timeoutS} s`,
			false,
			`still running after ${options.timeoutS} s; stopping everything.${dead ? `\n${dead}` : ''}\n${logTails(ctx)}`,
			0,
		);
		void finish(1);
	}, options.timeoutS * 1000);
	watchdog.unref();

	try {
		const up = await h.check('Postgres, Redis, emulator (50 ms), n8n main + 2 workers in queue mode start', async () => {
			ctx.waitForCallLog = archiveNodeHasOption('waitForCallLog');
			await startStack(ctx, {
				workers: 2,
				instancesPerAgent: options.callbacks,
				transform: (workflow) => (ctx.waitForCallLog ? callbacks.withWaitForCallLog(workflow) : workflow),
				log: (line) => h.log(line),
			});
			h.log(`Get Call Log option "Wait For Call Log": ${ctx.waitForCallLog ? 'on' : 'not in this build of the node'}`);
			return `${ctx.cluster.workers.map((w) => `${w.name} health :${w.healthPort}`).join(', ')}`;
		});
		if (!up) {
			h.notRun(workloadNames(ctx), `the stack did not start:\n${logTails(ctx)}`);
			return;
		}
		const health = await h.check('each worker answers its health check', async () => {
			for (const worker of ctx.cluster.workers) {
				const response = await fetch(`http://127.0.0.1:${worker.healthPort}/healthz`);
				if (response.status !== 200) throw new Error(`${worker.name} /healthz: ${response.status}`);
			}
		});
		const callbacksWorkflow = ctx.workflows[callbacks.WORKFLOW];
		ctx.callbacksWebhookId = webhookIdOf(callbacksWorkflow.workflow, '.alibabaIceAgentTrigger');
		const activated = await h.check('the workload workflows activate on the main process', async () => {
			await activate(ctx.cluster.main, callbacksWorkflow.id);
			await activate(ctx.cluster.main, ctx.workflows[chatbot.WORKFLOW].id);
		});
		if (!activated || !health) {
			h.notRun(workloadNames(ctx), 'not active');
			return;
		}
		// Workload 3 polls once a minute: it runs alongside 1 and 2 and is checked after them.
		let trigger;
		if (archiveTrigger.available(ctx)) trigger = await archiveTrigger.start(ctx, activate);
		else h.log('workload 3 not run: the ICE Call Trigger node is not in this build of the package');
		await callbacks.run(ctx, { count: options.callbacks });
		await chatbot.run(ctx);
		if (archiveTrigger.available(ctx)) await archiveTrigger.finish(ctx, trigger);
	} catch (error) {
		h.record('queue-mode runner', false, `${error instanceof Error ? error.stack : String(error)}\n${logTails(ctx)}`, 0);
	} finally {
		clearTimeout(watchdog);
		const load = os.loadavg().map((n) => n.toFixed(2)).join(' ');
		console.log(`\nqueue-mode run: ${((Date.now() - started) / 1000).toFixed(0)} s after install/build, load average ${load}`);
		if (ctx.results.callbacks) console.log(`workload 1: ${JSON.stringify(ctx.results.callbacks)}`);
		if (ctx.results.chatbot) console.log(`workload 2: ${JSON.stringify(ctx.results.chatbot)}`);
		if (ctx.results.archiveTrigger) console.log(`workload 3: ${JSON.stringify(ctx.results.archiveTrigger)}`);
		await finish();
	}
}

if (require.main === module) void main();
