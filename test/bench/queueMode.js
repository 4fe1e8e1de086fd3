'use strict';

/**
 * `npm run bench -- --queue`: executions per second of the queue-mode workload 1 (agent_stop
 * callback → call log → CCAI analyze → Postgres row) with one worker, then with a second worker
 * started in the same stack, and the ratio. CPU seconds per process over each phase say what
 * limits it when the ratio is not near 2×.
 */

const os = require('node:os');

const { stopAll } = require('../../scripts/lib/proc');
const { archiveNodeHasOption, prepare, startStack, stopStack, activate, webhookIdOf, logTails } = require('../queue/lib/setup');
const callbacks = require('../queue/workloads/callbacks');
const { cpuMeter } = require('../queue/lib/cpu');

const WARM_UP = 20;

function loadAverage() {
	return os.loadavg()[0];
}

async function phase(ctx, label, ids, workflowId, alreadyDone, log) {
	const groups = {
		main: ctx.cluster.main.server.pid,
		...Object.fromEntries(ctx.cluster.workers.map((w) => [w.name, w.server.pid])),
		postgres: ctx.postgres.child.pid,
		redis: ctx.redis.child.pid,
		emulator: ctx.emulator.child.pid,
	};
	const meter = cpuMeter(groups);
	const loadBefore = loadAverage();
	meter.start();
	const batch = await callbacks.runBatch(ctx, ids, { workflowId, alreadyDone, log });
	const cpu = meter.stop();
	if (batch.refused.length) throw new Error(`${label}: ${batch.refused.length} callbacks refused, e.g. ${batch.refused[0].text.slice(0, 300)}`);
	const cpuTotal = Object.values(cpu).reduce((a, b) => a + b, 0);
	return { label, count: ids.length, seconds: batch.seconds, perSecond: batch.perSecond, cpu, cpuTotal, load: [loadBefore, loadAverage()] };
}

function cpuText(p) {
	const parts = Object.entries(p.cpu)
		.sort((a, b) => b[1] - a[1])
		.map(([name, s]) => `${name} ${s.toFixed(1)}`);
	return `${p.cpuTotal.toFixed(1)} CPU-s in ${p.seconds.toFixed(1)} s (${(p.cpuTotal / p.seconds).toFixed(2)} cores busy): ${parts.join(', ')}`;
}

/** Resolves with a bench result ({name, rows, data, notes}) like the other benches. */
async function benchQueueMode({ callbacksPerPhase = 400, latencyMs = 50, build = true, log = () => {} } = {}) {
	const ctx = { results: {}, budget: { remainingMs: () => 600000 } };
	try {
		await prepare({ build, log });
		const total = 2 * (WARM_UP + callbacksPerPhase);
		ctx.waitForCallLog = archiveNodeHasOption('waitForCallLog');
		await startStack(ctx, {
			workers: 1,
			instancesPerAgent: total,
			latencyMs,
			transform: (workflow) => (ctx.waitForCallLog ? callbacks.withWaitForCallLog(workflow) : workflow),
			log,
		});
		const workflow = ctx.workflows[callbacks.WORKFLOW];
		ctx.callbacksWebhookId = webhookIdOf(workflow.workflow, '.alibabaIceAgentTrigger');
		await activate(ctx.cluster.main, workflow.id);

		let done = 0;
		let next = 0;
		const take = (n) => {
			const ids = callbacks.instanceIds(next, n);
			next += n;
			return ids;
		};
		const run = async (label, n) => {
			const result = await phase(ctx, label, take(n), workflow.id, done, log);
			done += n;
			return result;
		};

		// The first executions of a process compile and load what later ones reuse.
		await run('warm-up, 1 worker', WARM_UP);
		log(`1 worker: ${callbacksPerPhase} callbacks…`);
		const one = await run('1 worker', callbacksPerPhase);
		log(`  ${one.perSecond.toFixed(2)} executions/s; ${cpuText(one)}`);
		await ctx.cluster.addWorker();
		await run('warm-up, 2 workers', WARM_UP);
		log(`2 workers: ${callbacksPerPhase} callbacks…`);
		const two = await run('2 workers', callbacksPerPhase);
		log(`  ${two.perSecond.toFixed(2)} executions/s; ${cpuText(two)}`);

		const ratio = two.perSecond / one.perSecond;
		const cores = os.cpus().length;
		const bench = `Queue mode, workload 1: ${callbacksPerPhase} agent_stop callbacks (50 at a time) → call log → analyze → Postgres row, ${latencyMs} ms per API call`;
		const rows = [
			{ bench, measure: 'main + 1 worker (concurrency 10)', result: `${one.perSecond.toFixed(2)} executions/s (${one.seconds.toFixed(1)} s), load average ${one.load.map((l) => l.toFixed(1)).join(' → ')}` },
			{ bench, measure: 'main + 2 workers, same stack', result: `${two.perSecond.toFixed(2)} executions/s (${two.seconds.toFixed(1)} s), load average ${two.load.map((l) => l.toFixed(1)).join(' → ')}` },
			{ bench, measure: '2 workers ÷ 1 worker', result: `${ratio.toFixed(2)}×`, target: 'near 2× when latency-bound' },
		];
		const busy = (p) => p.cpuTotal / p.seconds;
		const cpuMs = (p) => (1000 * p.cpuTotal) / p.count;
		const notes = [
			`1 worker: ${cpuText(one)}; ${cpuMs(one).toFixed(0)} ms of CPU per execution over all processes.`,
			`2 workers: ${cpuText(two)}; ${cpuMs(two).toFixed(0)} ms of CPU per execution.`,
			`At ${cpuMs(two).toFixed(0)} ms of CPU per execution, ${cores} free cores cap the stack at about ${((1000 * cores) / cpuMs(two)).toFixed(0)} executions/s; ` +
				`it got ${busy(two).toFixed(2)} cores (load average ${two.load[1].toFixed(1)} on ${cores} cores counts other work on the machine), ` +
				`which allows ${(busy(two) / (cpuMs(two) / 1000)).toFixed(1)}/s. ` +
				(ratio < 1.6
					? 'So the rate is bound by the CPU this stack gets, not by the 50 ms latency the workers wait on: a second worker on the same machine adds execution slots but no CPU.'
					: 'The second worker nearly doubled the rate: the run was bound by the latency the workers wait on.'),
		];
		return {
			name: 'queue',
			rows,
			notes,
			data: { callbacksPerPhase, latencyMs, waitForCallLog: ctx.waitForCallLog, one, two, ratio, cores },
		};
	} catch (error) {
		error.message = `${error.message}\n${logTails(ctx, 1500)}`;
		throw error;
	} finally {
		await stopStack(ctx);
		await stopAll(3000);
		if (ctx.workDir) require('node:fs').rmSync(ctx.workDir, { recursive: true, force: true });
	}
}

module.exports = { benchQueueMode };

if (require.main === module) {
	const perPhase = Number((process.argv.find((a) => a.startsWith('--callbacks=')) ?? '').split('=')[1]) || 400;
	benchQueueMode({ callbacksPerPhase: perPhase, build: !process.argv.includes('--no-build'), log: (l) => console.error(l) }).then(
		(result) => {
			console.log(JSON.stringify(result, null, 2));
			process.exit(0);
		},
		(error) => {
			console.error(error);
			process.exit(1);
		},
	);
}
