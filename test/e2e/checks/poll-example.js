'use strict';

/**
 * The scheduled example (ICE Call Trigger → CCAI Analyze → Data table) published in the real n8n,
 * polling every minute while the emulator's calls progress between polls:
 *
 *   before publishing   A finished, B still running, C finished but its log is late (404 once),
 *                       E finished with an empty transcript
 *   poll 1 (publish)    rows A, E (E "Not analyzed"); B is pending, C's log is retried
 *   then                B finishes, D is a new call
 *   poll 2              rows B, C, D
 *   then                G is a new call
 *   poll 3              row G
 *
 * Each step waits for its rows, and the calls of a step exist only after the rows of the step
 * before it were written, so three different polls are proven, not assumed. The poll example
 * gets an emulator of its own: the other server checks reset theirs while this one runs.
 */

const { startEmulatorProcess } = require('../../../scripts/lib/emulator');
const { emulatorAccessKeyData } = require('../../../scripts/lib/examples');
const { requiredDataTables, ensureDataTable, dataTableRows } = require('../../../scripts/lib/dataTables');
const { assert } = require('../lib/harness');
const { sleep, waitFor } = require('../lib/util');

const EXAMPLE = 'ice-calls-analyze-to-data-table.json';
const POLL_AGENT = 'emu-agent-e2e-poll';
const POLL_CREDENTIAL = { id: 'emulator-ak-poll', name: 'Alibaba Cloud (poll emulator)', type: 'alibabaCloudAccessKeyApi' };
const CODE_NODE_TYPES = ['n8n-nodes-base.code', 'n8n-nodes-base.function', 'n8n-nodes-base.functionItem', '@n8n/n8n-nodes-langchain.code'];
const STEP_TIMEOUT_MS = 150000;

const N = {
	noCode: 'every example workflow is free of Code nodes (code, function, functionItem)',
	table: 'scheduled example: its Data table ice_calls is created with the columns the example maps',
	publish: 'scheduled example: publishes with ICE Call Trigger polling every minute',
	poll1: 'scheduled example, poll 1: one row per finished call, analyzed; empty transcript noted, not billed',
	poll2: 'scheduled example, poll 2: the call running at poll 1 and the late log are there, plus the new call',
	poll3: 'scheduled example, poll 3: the newest call; exactly one row per finished call, nothing twice',
	runs: 'scheduled example: at least 3 polls, each a successful execution, CCAI billed once per call with a transcript',
};
const NAMES = Object.values(N);

/** Started before the import: the poll example's credential points at its own emulator. */
async function prepareImport(ctx) {
	ctx.pollEmulator = await startEmulatorProcess({ port: 0 });
	return [{ ...POLL_CREDENTIAL, data: emulatorAccessKeyData(ctx.pollEmulator.url) }];
}

/**
 * The example polls hourly from the moment it is published, for the emulator's default agent.
 * Here: every minute (n8n's shortest), the scripted agent, and a start just before its calls.
 */
function localize(ctx, name, workflow) {
	if (name !== EXAMPLE) return workflow;
	ctx.pollStartFrom = new Date(Date.now() - 10 * 60000).toISOString();
	for (const node of workflow.nodes) {
		if (node.credentials?.alibabaCloudAccessKeyApi) node.credentials.alibabaCloudAccessKeyApi = { id: POLL_CREDENTIAL.id, name: POLL_CREDENTIAL.name };
		if (node.type.endsWith('.alibabaIceCallTrigger')) {
			node.parameters.pollTimes = { item: [{ mode: 'everyMinute' }] };
			node.parameters.aiAgentId = POLL_AGENT;
			node.parameters.startFrom = ctx.pollStartFrom;
		}
	}
	return workflow;
}

async function noCodeCheck(ctx) {
	await ctx.h.check(N.noCode, () => {
		const found = Object.values(ctx.examples).flatMap((e) =>
			e.workflow.nodes.filter((node) => CODE_NODE_TYPES.includes(node.type)).map((node) => `${e.name}: ${node.name}`),
		);
		assert.deepEqual(found, []);
		return `${Object.keys(ctx.examples).length} examples`;
	});
}

async function addCalls(emulator, calls) {
	const { ids } = await emulator.admin('POST', 'ice/calls', { agentId: POLL_AGENT, calls });
	return ids;
}

async function activate(n8n, id) {
	const current = await n8n.rest('GET', `/rest/workflows/${id}`);
	assert.equal(current.status, 200, `GET workflow ${id}: ${current.status}`);
	const response = await n8n.rest('POST', `/rest/workflows/${id}/activate`, { versionId: current.body.data.versionId });
	assert.equal(response.status, 200, `publish: ${response.status} ${JSON.stringify(response.body).slice(0, 800)}`);
}

async function executions(n8n, workflowId) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const response = await n8n.rest('GET', `/rest/executions?filter=${filter}&limit=50`);
	assert.equal(response.status, 200, `GET executions: ${response.status}`);
	return response.body.data.results;
}

/** A row as the example writes it, for a call the emulator generated with `sentences` lines. */
function checkAnalyzedRow(row) {
	assert.match(row.instanceId, /^[0-9a-f]{32}$/, `row without a real instance id: ${JSON.stringify(row).slice(0, 300)}`);
	assert.equal(row.status, 'Finished');
	assert.ok(!Number.isNaN(Date.parse(row.startedAt)), `startedAt "${row.startedAt}" is not a date`);
	assert.ok(row.sentenceCount >= 1, `sentenceCount ${row.sentenceCount}`);
	assert.match(row.summary, new RegExp(`共${row.sentenceCount}句对话`), `the summary does not describe this call: ${row.summary}`);
	assert.deepEqual(JSON.parse(row.inspection).map((d) => d.title), ['Request not answered', 'Private data requested']);
	assert.equal(row.problem, '', `an analyzed call has a problem noted: ${row.problem}`);
	assert.ok(row.totalTokens > 0, `totalTokens ${row.totalTokens}`);
}

/** Creates the table and publishes the example; the polls then run while the other server checks do. */
async function begin(ctx) {
	const { h, n8n } = ctx;
	const example = ctx.examples[EXAMPLE];
	if (!example || !ctx.pollEmulator) {
		h.notRun(NAMES.slice(1), `examples/${EXAMPLE} is missing`);
		return;
	}
	const tableOk = await h.check(N.table, async () => {
		const [table] = requiredDataTables([example]);
		assert.ok(table, 'the example names no Data table');
		ctx.pollTable = await ensureDataTable(n8n, table);
		assert.equal(ctx.pollTable.created, true, 'a fresh n8n already had the table');
		assert.deepEqual((await dataTableRows(n8n, ctx.pollTable)).length, 0);
		return `${table.name}: ${table.columns.map((c) => `${c.name} (${c.type})`).join(', ')}`;
	});
	if (!tableOk) {
		h.notRun(NAMES.slice(2), 'no Data table');
		return;
	}
	const emulator = ctx.pollEmulator;
	const now = Date.now();
	const [a, b, c, e] = await addCalls(emulator, [
		{ createdAt: now - 5 * 60000, status: 'Finished', sentences: 6 },
		{ createdAt: now - 4 * 60000, status: 'Executing', sentences: 5 },
		{ createdAt: now - 3 * 60000, status: 'Finished', sentences: 4, logMissingGets: 1 },
		{ createdAt: now - 2 * 60000, status: 'Finished', sentences: 0 },
	]);
	ctx.pollCalls = { a, b, c, e };
	const published = await h.check(N.publish, async () => {
		ctx.pollPublishedAt = Date.now();
		await activate(n8n, example.id);
		return `from ${ctx.pollStartFrom}, agent ${POLL_AGENT}`;
	});
	if (!published) {
		h.notRun(NAMES.slice(3), 'not published');
		return;
	}
	// Runs in the background; finish() waits for it and records what it found.
	ctx.pollRun = scenario(ctx).then(
		(steps) => ({ steps }),
		(error) => ({ error }),
	);
}

async function rowsOf(ctx) {
	return await dataTableRows(ctx.n8n, ctx.pollTable);
}

async function waitForRows(ctx, ids, what) {
	return await waitFor(
		async () => {
			const rows = await rowsOf(ctx);
			const have = new Set(rows.map((row) => row.instanceId));
			return ids.every((id) => have.has(id)) ? rows : undefined;
		},
		STEP_TIMEOUT_MS,
		what,
	);
}

async function scenario(ctx) {
	const emulator = ctx.pollEmulator;
	const { a, b, c, e } = ctx.pollCalls;
	const steps = {};
	steps.poll1 = { rows: await waitForRows(ctx, [a, e], 'the rows of poll 1 (A and the empty call)'), at: Date.now() };
	// Whatever else poll 1 wrote is in the table by now (one execution writes all its rows).
	await sleep(1000);
	steps.poll1.rows = await rowsOf(ctx);
	await emulator.admin('POST', 'ice/calls/update', { id: b, status: 'Finished' });
	const [d] = await addCalls(emulator, [{ status: 'Finished', sentences: 3 }]);
	steps.poll2 = { rows: await waitForRows(ctx, [b, c, d], 'the rows of poll 2 (B, C, D)'), at: Date.now() };
	await sleep(1000);
	steps.poll2.rows = await rowsOf(ctx);
	const [g] = await addCalls(emulator, [{ status: 'Finished', sentences: 7 }]);
	steps.poll3 = { rows: await waitForRows(ctx, [g], 'the row of poll 3 (G)'), at: Date.now() };
	// A fourth poll may come before the end; wait a moment so a duplicate it wrote would show.
	await sleep(3000);
	steps.final = await rowsOf(ctx);
	Object.assign(ctx.pollCalls, { d, g });
	return steps;
}

async function finish(ctx) {
	const { h, n8n } = ctx;
	if (!ctx.pollRun) return;
	const { steps, error } = await ctx.pollRun;
	const ids = ctx.pollCalls;
	const countOf = (rows, id) => rows.filter((row) => row.instanceId === id).length;

	await h.check(N.poll1, () => {
		if (error && !steps) throw error;
		const rows = steps.poll1.rows;
		assert.deepEqual(rows.map((row) => row.instanceId).sort(), [ids.a, ids.e].sort(), 'poll 1 wrote other rows than A and E');
		checkAnalyzedRow(rows.find((row) => row.instanceId === ids.a));
		const empty = rows.find((row) => row.instanceId === ids.e);
		assert.equal(empty.sentenceCount, 0);
		assert.equal(empty.summary, '');
		assert.match(empty.problem, /^Not analyzed: .*no sentence with text.*nothing was billed/);
		return `${rows.length} rows after ${((steps.poll1.at - ctx.pollPublishedAt) / 1000).toFixed(0)} s`;
	});
	await h.check(N.poll2, () => {
		if (error) throw error;
		const rows = steps.poll2.rows;
		const expected = [ids.a, ids.e, ids.b, ids.c, ids.d];
		assert.deepEqual(rows.map((row) => row.instanceId).sort(), [...expected].sort(), 'poll 2 left the table with other rows');
		for (const id of [ids.b, ids.c, ids.d]) checkAnalyzedRow(rows.find((row) => row.instanceId === id));
		return `B (running at poll 1), C (late log), D (new) after ${((steps.poll2.at - steps.poll1.at) / 1000).toFixed(0)} s`;
	});
	await h.check(N.poll3, () => {
		if (error) throw error;
		const rows = steps.final;
		const expected = [ids.a, ids.e, ids.b, ids.c, ids.d, ids.g];
		for (const id of expected) assert.equal(countOf(rows, id), 1, `call ${id} has ${countOf(rows, id)} rows`);
		assert.equal(rows.length, expected.length, `${rows.length} rows for ${expected.length} finished calls`);
		checkAnalyzedRow(rows.find((row) => row.instanceId === ids.g));
		return `${rows.length} rows, G after ${((steps.poll3.at - steps.poll2.at) / 1000).toFixed(0)} s`;
	});
	await h.check(N.runs, async () => {
		if (error) throw error;
		const runs = await executions(n8n, ctx.examples[EXAMPLE].id);
		assert.ok(runs.length >= 3, `${runs.length} executions`);
		const failed = runs.filter((run) => run.status !== 'success');
		assert.deepEqual(failed.map((run) => `${run.id}: ${run.status}`), [], 'an execution of the example failed');
		const lists = await ctx.pollEmulator.requests('ListAIAgentInstance');
		assert.ok(lists.length >= 3, `${lists.length} ListAIAgentInstance requests`);
		assert.ok(lists.every((request) => request.status === 200), 'the emulator refused a signature');
		const analyses = await ctx.pollEmulator.requests('AnalyzeConversation');
		// Five calls with a transcript (A, B, C, D, G); E's empty one is noted, not sent.
		assert.equal(analyses.length, 5, `${analyses.length} AnalyzeConversation requests`);
		return `${runs.length} executions, ${lists.length} list requests, ${analyses.length} analyses`;
	});
}

module.exports = { prepareImport, localize, noCodeCheck, begin, finish, NAMES, N, EXAMPLE };
