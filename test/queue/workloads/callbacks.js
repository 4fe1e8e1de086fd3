'use strict';

const crypto = require('node:crypto');

const { assert } = require('../../e2e/lib/harness');
const { sleep } = require('../../e2e/lib/util');
const { DATA_DATABASE, executionsOf, finishedCount, query } = require('../lib/database');

/** The emulator's agent whose instance count EMULATOR_INSTANCES_PER_AGENT sets. */
const AGENT_ID = 'emu-agent-default';
const WORKFLOW = 'callbacks-to-postgres.json';

/** Mirrors generatedInstanceId in test/emulator/services/ice-data.ts: the emulator's ids are md5(agent#index). */
function instanceIds(from, count) {
	return Array.from({ length: count }, (_, i) => crypto.createHash('md5').update(`${AGENT_ID}#${from + i}`).digest('hex'));
}

/** agent_stop can arrive before the call log is written; the node's option waits for it. */
function withWaitForCallLog(workflow) {
	const copy = JSON.parse(JSON.stringify(workflow));
	for (const node of copy.nodes) {
		if (node.type.endsWith('.alibabaIceArchive') && node.parameters.operation === 'getCallLog') {
			node.parameters.options = { ...node.parameters.options, waitForCallLog: true };
		}
	}
	return copy;
}

function callbackBody(instanceId) {
	return {
		aiAgentId: AGENT_ID,
		instanceId,
		event: 'agent_stop',
		data: { reason: 'user hung up' },
		timestamp: Date.now(),
	};
}

/** Posts one agent_stop per instance to the trigger's production URL, `parallel` in flight at a time. */
async function postCallbacks({ baseUrl, webhookId, token, ids, parallel = 50 }) {
	const url = `${baseUrl}/webhook/${webhookId}/ice-agent`;
	const answers = new Array(ids.length);
	let next = 0;
	const one = async () => {
		while (next < ids.length) {
			const index = next++;
			try {
				const response = await fetch(url, {
					method: 'POST',
					headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
					body: JSON.stringify(callbackBody(ids[index])),
				});
				const text = await response.text();
				let json;
				try {
					json = JSON.parse(text);
				} catch {
					json = undefined;
				}
				answers[index] = { status: response.status, started: json?.started === true, text };
			} catch (error) {
				answers[index] = { status: 0, started: false, text: String(error) };
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(parallel, ids.length) }, one));
	return answers;
}

/**
 * Waits until n8n has `expected` finished executions of the workflow. A process that dies or
 * no progress for `stallMs` ends the wait with an error naming what is stuck.
 */
async function waitForExecutions({ postgres, workflowId, expected, cluster, timeoutMs, stallMs = 90000, onProgress }) {
	const started = Date.now();
	let last = -1;
	let lastChange = Date.now();
	for (;;) {
		const dead = cluster.deadProcess();
		if (dead) throw new Error(dead);
		const done = await finishedCount(postgres, workflowId);
		if (done !== last) {
			last = done;
			lastChange = Date.now();
			onProgress?.(done);
		}
		if (done >= expected) return { seconds: (Date.now() - started) / 1000, done };
		if (Date.now() - started > timeoutMs) {
			throw new Error(`only ${done} of ${expected} executions finished within ${timeoutMs / 1000} s\n${cluster.logTails()}`);
		}
		if (Date.now() - lastChange > stallMs) {
			throw new Error(`no execution finished for ${stallMs / 1000} s (${done} of ${expected} done)\n${cluster.logTails()}`);
		}
		await sleep(500);
	}
}

/** One batch: post the callbacks, wait for every execution; executions per second over the batch. */
async function runBatch(ctx, ids, { workflowId, alreadyDone = 0, timeoutMs = 360000, log }) {
	const t0 = Date.now();
	const answers = await postCallbacks({ baseUrl: ctx.cluster.main.baseUrl, webhookId: ctx.callbacksWebhookId, token: ctx.callbackToken, ids });
	const postSeconds = (Date.now() - t0) / 1000;
	const refused = answers.filter((a) => a.status !== 200 || !a.started);
	let lastLogged = 0;
	const { done } = await waitForExecutions({
		postgres: ctx.postgres,
		workflowId,
		expected: alreadyDone + ids.length - refused.length,
		cluster: ctx.cluster,
		timeoutMs,
		onProgress: (n) => {
			if (log && Date.now() - lastLogged > 15000) {
				lastLogged = Date.now();
				log(`${n - alreadyDone} of ${ids.length} executions finished`);
			}
		},
	});
	const seconds = (Date.now() - t0) / 1000;
	return { answers, refused, postSeconds, seconds, perSecond: (done - alreadyDone) / seconds };
}

const N = {
	accepted: (n) => `workload 1: ${n} agent_stop callbacks, 50 at a time → 200 started:true`,
	finished: (n) => `workload 1: ${n} executions finish on the workers`,
	rows: (n) => `workload 1: ${n} Postgres rows, one per instance, no duplicates`,
	noFailed: "workload 1: 0 failed executions in n8n's execution list (REST)",
	onWorkers: 'workload 1: every execution was enqueued by main and ran on exactly one worker',
	share: 'workload 1: both workers took a share',
};

function names(count) {
	return [N.accepted(count), N.finished(count), N.rows(count), N.noFailed, N.onWorkers, N.share];
}

async function run(ctx, { count }) {
	const { h, cluster } = ctx;
	const workflowId = ctx.workflows[WORKFLOW].id;
	const ids = instanceIds(0, count);
	let batch;

	const accepted = await h.check(N.accepted(count), async () => {
		const t0 = Date.now();
		const answers = await postCallbacks({ baseUrl: cluster.main.baseUrl, webhookId: ctx.callbacksWebhookId, token: ctx.callbackToken, ids });
		const refused = answers.map((a, i) => ({ ...a, id: ids[i] })).filter((a) => a.status !== 200 || !a.started);
		assert.equal(refused.length, 0, `${refused.length} refused, e.g. ${JSON.stringify(refused.slice(0, 3))}`);
		batch = { postSeconds: (Date.now() - t0) / 1000, t0 };
		return `posted in ${batch.postSeconds.toFixed(1)} s`;
	});
	if (!accepted) {
		h.notRun(names(count).slice(1), 'the callbacks were not all accepted');
		return;
	}
	const finished = await h.check(N.finished(count), async () => {
		let lastLogged = 0;
		await waitForExecutions({
			postgres: ctx.postgres,
			workflowId,
			expected: count,
			cluster,
			timeoutMs: ctx.budget.remainingMs(60000),
			onProgress: (n) => {
				if (Date.now() - lastLogged > 15000) {
					lastLogged = Date.now();
					h.log(`${n} of ${count} callback executions finished`);
				}
			},
		});
		const seconds = (Date.now() - batch.t0) / 1000;
		ctx.results.callbacks = { count, seconds, perSecond: count / seconds };
		return `${seconds.toFixed(1)} s from the first callback, ${(count / seconds).toFixed(1)} executions/s`;
	});
	if (!finished) {
		h.notRun(names(count).slice(2), 'the executions did not finish');
		return;
	}

	await h.check(N.rows(count), async () => {
		const { rows } = await query(
			ctx.postgres,
			DATA_DATABASE,
			'SELECT instance_id, count(*)::int AS n, min(execution_id) AS execution_id, max(sentences) AS sentences, bool_and(analysis ? \'text\') AS analyzed FROM archived_calls GROUP BY instance_id',
		);
		const total = rows.reduce((sum, r) => sum + r.n, 0);
		const duplicates = rows.filter((r) => r.n > 1);
		const expected = new Set(ids);
		const unknown = rows.filter((r) => !expected.has(r.instance_id));
		const missing = ids.filter((id) => !rows.some((r) => r.instance_id === id));
		assert.equal(duplicates.length, 0, `${duplicates.length} instances written more than once, e.g. ${JSON.stringify(duplicates.slice(0, 3))}`);
		assert.equal(unknown.length, 0, `rows for instances never posted: ${JSON.stringify(unknown.slice(0, 3))}`);
		assert.equal(missing.length, 0, `${missing.length} instances have no row, e.g. ${missing.slice(0, 3).join(', ')}`);
		assert.equal(total, count);
		const empty = rows.filter((r) => !(r.sentences > 0) || !r.analyzed);
		assert.equal(empty.length, 0, `rows without sentences or analysis: ${JSON.stringify(empty.slice(0, 3))}`);
		return `${total} rows, ${rows.length} distinct instances`;
	});

	await h.check(N.noFailed, async () => {
		const countOf = async (status) => {
			const filter = encodeURIComponent(JSON.stringify({ workflowId, status }));
			const response = await cluster.main.rest('GET', `/rest/executions?filter=${filter}&limit=5`);
			assert.equal(response.status, 200, `GET /rest/executions: ${response.status} ${JSON.stringify(response.body).slice(0, 300)}`);
			return response.body.data;
		};
		const failed = await countOf(['error', 'crashed', 'canceled']);
		assert.equal(failed.count, 0, `failed executions, e.g. ${JSON.stringify(failed.results.slice(0, 2)).slice(0, 800)}`);
		const succeeded = await countOf(['success']);
		assert.equal(succeeded.count, count, `${succeeded.count} successful executions listed`);
		return `${succeeded.count} success, 0 error/crashed/canceled`;
	});

	let shares;
	await h.check(N.onWorkers, async () => {
		const executions = await executionsOf(ctx.postgres, workflowId);
		assert.equal(executions.length, count, `${executions.length} executions stored`);
		const { ranOn } = cluster.executionsByWorker();
		const enqueued = cluster.enqueuedExecutions();
		const notEnqueued = executions.filter((e) => !enqueued.has(e.id));
		const nowhere = executions.filter((e) => !ranOn.has(e.id));
		const twice = executions.filter((e) => (ranOn.get(e.id) ?? []).length > 1);
		assert.equal(notEnqueued.length, 0, `${notEnqueued.length} executions the main process did not enqueue, e.g. ${notEnqueued.slice(0, 3).map((e) => e.id)}`);
		assert.equal(nowhere.length, 0, `${nowhere.length} executions no worker logged, e.g. ${nowhere.slice(0, 3).map((e) => e.id)}`);
		assert.equal(twice.length, 0, `${twice.length} executions started on more than one worker: ${JSON.stringify(twice.slice(0, 3).map((e) => [e.id, ranOn.get(e.id)]))}`);
		const { rows } = await query(ctx.postgres, DATA_DATABASE, 'SELECT execution_id FROM archived_calls');
		const ids = new Set(executions.map((e) => e.id));
		const foreign = rows.filter((r) => !ids.has(r.execution_id));
		assert.equal(foreign.length, 0, `rows written by executions that are not this workflow's: ${foreign.slice(0, 3).map((r) => r.execution_id)}`);
		shares = {};
		for (const e of executions) for (const w of ranOn.get(e.id)) shares[w] = (shares[w] ?? 0) + 1;
		return Object.entries(shares).map(([w, n]) => `${w}: ${n}`).join(', ');
	});

	await h.check(N.share, () => {
		assert.ok(shares, 'no worker attribution (previous check failed)');
		const idle = cluster.workers.filter((w) => !shares[w.name]);
		assert.equal(idle.length, 0, `${idle.map((w) => w.name).join(', ')} ran no execution: ${JSON.stringify(shares)}`);
		const smallest = Math.min(...cluster.workers.map((w) => shares[w.name]));
		ctx.results.callbacks.shares = shares;
		return `${JSON.stringify(shares)} (smallest share ${((100 * smallest) / count).toFixed(0)} %)`;
	});
}

module.exports = { withWaitForCallLog, WORKFLOW, AGENT_ID, instanceIds, postCallbacks, waitForExecutions, runBatch, run, names };
