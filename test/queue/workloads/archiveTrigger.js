'use strict';

const { assert } = require('../../e2e/lib/harness');
const { sleep } = require('../../e2e/lib/util');
const { DATA_DATABASE, executionsOf, query } = require('../lib/database');
const { waitForExecutions } = require('./callbacks');

const WORKFLOW = 'call-trigger-to-postgres.json';
const NODE_TYPE = 'alibabaIceCallTrigger';
const TRIGGER_NODE = 'ICE Call Trigger';
/** A fresh agent: every call it has is one this workload scripted. */
const AGENT_ID = 'queue-archive-agent';
const STATE_KEY = 'iceCallTrigger';
/** n8n's shortest poll interval is a minute; requests of one poll arrive within seconds of each other. */
const POLL_GAP_MS = 20000;
const ARRIVAL_EVERY_MS = 15000;

/** Start times of the trigger's polls, from the emulator's ListAIAgentInstance requests for the agent. */
async function pollTimes(emulator) {
	const requests = await emulator.admin('GET', 'requests?action=ListAIAgentInstance');
	const times = requests.filter((r) => r.query.AIAgentId === AGENT_ID).map((r) => r.at).sort((a, b) => a - b);
	const polls = [];
	for (const at of times) if (!polls.length || at - polls.at(-1).last > POLL_GAP_MS) polls.push({ first: at, last: at });
	else polls.at(-1).last = at;
	return polls.map((p) => p.first);
}

/**
 * Calls arriving while the trigger polls: on every tick two calls that have already ended, and
 * one that is still running and ends on the next tick (the trigger must hold it until then).
 */
class CallArrivals {
	constructor(emulator) {
		this.emulator = emulator;
		this.ids = [];
		this.running = [];
		this.stopped = false;
		this.ticks = 0;
		this.error = undefined;
	}

	async tick() {
		const ended = this.running;
		this.running = [];
		if (ended.length) await this.emulator.admin('POST', 'ice/calls/update', { ids: ended, status: 'Finished' });
		const { ids: finished } = await this.emulator.admin('POST', 'ice/calls', {
			agentId: AGENT_ID,
			calls: [{ sentences: 4 + (this.ticks % 3) }, { sentences: 5 }],
		});
		const { ids: running } = await this.emulator.admin('POST', 'ice/calls', {
			agentId: AGENT_ID,
			calls: [{ status: 'Executing', sentences: 6 }],
		});
		this.ids.push(...finished, ...running);
		this.running = running;
		this.ticks++;
	}

	start() {
		this.firstAt = Date.now();
		this.loop = (async () => {
			while (!this.stopped) {
				try {
					await this.tick();
				} catch (error) {
					this.error = error;
					return;
				}
				const until = Date.now() + ARRIVAL_EVERY_MS;
				while (!this.stopped && Date.now() < until) await sleep(250);
			}
		})();
	}

	/** No more calls; the ones still running end now. */
	async stop() {
		this.stopped = true;
		await this.loop;
		if (this.running.length) await this.emulator.admin('POST', 'ice/calls/update', { ids: this.running, status: 'Finished' });
		this.running = [];
		this.lastAt = Date.now();
	}
}

function available(ctx) {
	const { PACKAGE_JSON } = require('../../../scripts/lib/paths');
	return PACKAGE_JSON.n8n.nodes.some((file) => file.includes('AlibabaIceCallTrigger')) && Boolean(ctx.workflows?.[WORKFLOW] ?? true);
}

const N = {
	activate: 'workload 3: the ICE Call Trigger workflow activates on the main process (polls every minute)',
	polls: 'workload 3: the trigger polled at least three times while calls arrived',
	once: 'workload 3: every finished call archived exactly once (one Postgres row each)',
	workers: 'workload 3: the trigger executions succeeded and ran on the workers',
	state: "workload 3: the trigger's state is in the workflow's static data, nothing pending",
};
const NAMES = Object.values(N);

/** Activates the trigger and starts the arrivals; resolves with a handle `finish` takes. */
async function start(ctx, activate) {
	const { h, cluster, emulator } = ctx;
	const workflow = ctx.workflows[WORKFLOW];
	const active = await h.check(N.activate, async () => {
		await activate(cluster.main, workflow.id);
	});
	if (!active) return undefined;
	const arrivals = new CallArrivals(emulator);
	arrivals.start();
	return { arrivals, activatedAt: Date.now() };
}

/**
 * Waits until calls arrived across at least two scheduled polls, stops them, then waits for
 * the poll that archives the last ones and checks the rows.
 */
async function finish(ctx, handle) {
	const { h, cluster, emulator } = ctx;
	if (!handle) {
		h.notRun(NAMES.slice(1), 'the trigger workflow is not active');
		return;
	}
	const { arrivals } = handle;
	const workflowId = ctx.workflows[WORKFLOW].id;
	const polledWhileArriving = await h.check(N.polls, async () => {
		// The activation poll, then two scheduled ones while calls keep coming.
		for (;;) {
			if (arrivals.error) throw arrivals.error;
			const dead = cluster.deadProcess();
			if (dead) throw new Error(dead);
			const polls = await pollTimes(emulator);
			if (polls.filter((t) => t > arrivals.firstAt).length >= 2) break;
			if (ctx.budget.remainingMs() < 100000) throw new Error(`only ${polls.length} polls so far: ${polls.map((t) => new Date(t).toISOString()).join(', ')}`);
			await sleep(1000);
		}
		await arrivals.stop();
		const polls = await pollTimes(emulator);
		assert.ok(polls.length >= 3, `${polls.length} polls`);
		return `${polls.length} polls (${polls.map((t) => new Date(t).toISOString().slice(11, 19)).join(', ')}), ${arrivals.ids.length} calls over ${arrivals.ticks} arrivals`;
	});
	if (!polledWhileArriving) {
		await arrivals.stop().catch(() => undefined);
		h.notRun(NAMES.slice(2), 'the trigger did not poll while calls arrived');
		return;
	}
	const archived = await h.check(N.once, async () => {
		const expected = new Set(arrivals.ids);
		let rows = [];
		const until = Date.now() + Math.min(ctx.budget.remainingMs(20000), 150000);
		// The calls that ended last are archived by the next poll, at most a minute away.
		while (Date.now() < until) {
			({ rows } = await query(ctx.postgres, DATA_DATABASE, 'SELECT instance_id, count(*)::int AS n, min(status) AS status FROM trigger_archive GROUP BY instance_id'));
			if (rows.length >= expected.size) break;
			const dead = cluster.deadProcess();
			if (dead) throw new Error(dead);
			await sleep(1000);
		}
		// A call output twice would come again in the poll after the one that archived it (the
		// overlap window lists it again): wait for that poll and its execution, then count.
		const archivedAfter = (await pollTimes(emulator)).length;
		while (Date.now() < until + 70000 && (await pollTimes(emulator)).length <= archivedAfter) await sleep(1000);
		await sleep(3000);
		await waitForExecutions({ postgres: ctx.postgres, workflowId, expected: (await executionsOf(ctx.postgres, workflowId)).length, cluster, timeoutMs: 60000 });
		({ rows } = await query(ctx.postgres, DATA_DATABASE, 'SELECT instance_id, count(*)::int AS n, min(status) AS status FROM trigger_archive GROUP BY instance_id'));
		const polls = await pollTimes(emulator);
		assert.ok(polls.length > archivedAfter, 'no poll came after the last calls were archived, so a repeat could not be seen');
		const duplicates = rows.filter((r) => r.n > 1);
		const unknown = rows.filter((r) => !expected.has(r.instance_id));
		const missing = [...expected].filter((id) => !rows.some((r) => r.instance_id === id));
		const unfinished = rows.filter((r) => r.status !== 'Finished');
		assert.equal(duplicates.length, 0, `archived more than once: ${JSON.stringify(duplicates.slice(0, 5))}`);
		assert.equal(unknown.length, 0, `rows for calls never scripted: ${JSON.stringify(unknown.slice(0, 3))}`);
		assert.equal(missing.length, 0, `${missing.length} of ${expected.size} calls never archived (after ${polls.length} polls), e.g. ${missing.slice(0, 3).join(', ')}`);
		assert.equal(unfinished.length, 0, `archived before the call ended: ${JSON.stringify(unfinished.slice(0, 3))}`);
		ctx.results.archiveTrigger = { calls: expected.size, polls: polls.length };
		return `${rows.length} calls, each archived once, after ${polls.length} polls`;
	});
	await h.check(N.workers, async () => {
		assert.ok(archived, 'the calls were not archived');
		const executions = await executionsOf(ctx.postgres, workflowId);
		assert.ok(executions.length > 0, 'no trigger execution');
		const failed = executions.filter((e) => e.status !== 'success');
		assert.equal(failed.length, 0, `failed: ${JSON.stringify(failed.slice(0, 3))}`);
		const { ranOn } = cluster.executionsByWorker();
		const elsewhere = executions.filter((e) => (ranOn.get(e.id) ?? []).length !== 1);
		assert.equal(elsewhere.length, 0, `executions not run by exactly one worker: ${JSON.stringify(elsewhere.map((e) => [e.id, ranOn.get(e.id)]))}`);
		const shares = {};
		for (const e of executions) shares[ranOn.get(e.id)[0]] = (shares[ranOn.get(e.id)[0]] ?? 0) + 1;
		return `${executions.length} executions (mode ${[...new Set(executions.map((e) => e.mode))].join(', ')}): ${JSON.stringify(shares)}`;
	});
	await h.check(N.state, async () => {
		const response = await cluster.main.rest('GET', `/rest/workflows/${workflowId}`);
		assert.equal(response.status, 200, `GET workflow: ${response.status}`);
		// n8n keeps a node's static data under "node:<node name>".
		const state = response.body.data.staticData?.[`node:${TRIGGER_NODE}`]?.[STATE_KEY];
		assert.ok(state, `no ${STATE_KEY} in the static data: ${JSON.stringify(response.body.data.staticData).slice(0, 500)}`);
		assert.equal(state.aiAgentId, AGENT_ID);
		assert.deepEqual(state.pending ?? [], [], `calls still pending: ${JSON.stringify(state.pending).slice(0, 300)}`);
		return `lowWater ${new Date(state.lowWater).toISOString()}, ${Object.keys(state.emitted ?? {}).length} emitted keys remembered`;
	});
}

module.exports = { WORKFLOW, NODE_TYPE, NAMES, available, start, finish };
