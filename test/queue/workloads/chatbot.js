'use strict';

const { assert } = require('../../e2e/lib/harness');
const { DATA_DATABASE, executionsOf, query } = require('../lib/database');
const { waitForExecutions } = require('./callbacks');

const WORKFLOW = 'chatbot-batches.json';
const AGENT_KEYS = ['emu0agent0key0001_p_beebot_public', 'emu0agent0key0002_p_beebot_public'];
const TOKEN_ACTION = 'ApplyForStreamAccessToken';
const CHAT_NODE = 'Alibaba Chatbot Chat';
const SEQUENTIAL_KEY = 'queue-sequential-conversation';
const SEQUENTIAL_TEXT = 'sequential message';
const SEQUENTIAL_MESSAGES = 6;
const UTTERANCES = ['你有什么技能?', '我想查询订单物流', '怎么申请退款?', '会员有什么权益?', 'How do I change my address?'];

/** `executions` batches of `perExecution` messages; the agent key alternates so each batch uses both. */
function batches(executions, perExecution) {
	return Array.from({ length: executions }, (_, e) => ({
		messages: Array.from({ length: perExecution }, (_, m) => ({
			id: `e${e}-m${m}`,
			conversation: `queue-conversation-${e}`,
			agentKey: AGENT_KEYS[m % AGENT_KEYS.length],
			text: UTTERANCES[(e + m) % UTTERANCES.length],
		})),
	}));
}

const N = {
	accepted: (e, m) => `workload 2: ${e} chat batches of ${m} messages posted at once → 200`,
	answered: (total) => `workload 2: all ${total} messages answered (one Postgres row each), 0 failed executions`,
	spread: 'workload 2: the chat executions ran on both workers',
	tokens: `workload 2: ${TOKEN_ACTION} at most once per worker per agent key (token cache per worker process)`,
	memory: `workload 2: Remember Session By: ${SEQUENTIAL_MESSAGES} messages of one conversation, one execution each, continue one Chatbot session across the workers (static data saved by one worker, read by the next)`,
};

function names(e = 20, m = 10) {
	return [N.accepted(e, m), N.answered(e * m), N.spread, N.tokens, N.memory];
}

async function run(ctx, { executions = 20, perExecution = 10 } = {}) {
	const { h, cluster, emulator } = ctx;
	const workflow = ctx.workflows[WORKFLOW];
	const total = executions * perExecution;
	const before = (await emulator.requests(TOKEN_ACTION)).length;
	const posted = await h.check(N.accepted(executions, perExecution), async () => {
		const answers = await Promise.all(
			batches(executions, perExecution).map(async (body) => {
				const response = await fetch(`${cluster.main.baseUrl}/webhook/queue-chat-batch`, {
					method: 'POST',
					headers: { 'content-type': 'application/json' },
					body: JSON.stringify(body),
				});
				return { status: response.status, text: await response.text() };
			}),
		);
		const refused = answers.filter((a) => a.status !== 200);
		assert.equal(refused.length, 0, `${refused.length} refused: ${JSON.stringify(refused.slice(0, 2))}`);
	});
	if (!posted) {
		h.notRun(names(executions, perExecution).slice(1), 'the batches were not accepted');
		return;
	}
	let executionRows = [];
	const answered = await h.check(N.answered(total), async () => {
		await waitForExecutions({ postgres: ctx.postgres, workflowId: workflow.id, expected: executions, cluster, timeoutMs: ctx.budget.remainingMs(30000) });
		executionRows = await executionsOf(ctx.postgres, workflow.id);
		const failed = executionRows.filter((e) => e.status !== 'success');
		assert.equal(failed.length, 0, `failed executions: ${JSON.stringify(failed.slice(0, 3))}`);
		const { rows } = await query(
			ctx.postgres,
			DATA_DATABASE,
			"SELECT message_id, count(*)::int AS n, bool_and(length(answer->>'answer') > 0) AS answered FROM chat_answers GROUP BY message_id",
		);
		const duplicates = rows.filter((r) => r.n > 1);
		assert.equal(duplicates.length, 0, `answered twice: ${JSON.stringify(duplicates.slice(0, 3))}`);
		assert.equal(rows.length, total, `${rows.length} of ${total} messages have an answer row`);
		const empty = rows.filter((r) => !r.answered);
		assert.equal(empty.length, 0, `empty answers: ${JSON.stringify(empty.slice(0, 3))}`);
		return `${executionRows.length} executions, ${rows.length} answers`;
	});
	if (!answered) {
		h.notRun(names(executions, perExecution).slice(2), 'the messages were not all answered');
		return;
	}
	let workersUsed = [];
	await h.check(N.spread, () => {
		const { ranOn } = cluster.executionsByWorker();
		const shares = {};
		for (const e of executionRows) for (const w of ranOn.get(e.id) ?? ['(no worker)']) shares[w] = (shares[w] ?? 0) + 1;
		workersUsed = Object.keys(shares).filter((w) => w !== '(no worker)');
		assert.ok(!shares['(no worker)'], `executions no worker logged: ${JSON.stringify(shares)}`);
		assert.equal(workersUsed.length, cluster.workers.length, `only ${workersUsed.join(', ')} ran chat executions: ${JSON.stringify(shares)}`);
		return JSON.stringify(shares);
	});
	await h.check(N.tokens, async () => {
		const calls = (await emulator.requests(TOKEN_ACTION)).slice(before);
		const perKey = Object.fromEntries(AGENT_KEYS.map((k) => [k, calls.filter((c) => c.query.AgentKey === k).length]));
		const others = calls.filter((c) => !AGENT_KEYS.includes(c.query.AgentKey));
		assert.equal(others.length, 0, `token calls for other agent keys: ${JSON.stringify(others.map((c) => c.query))}`);
		const limit = Math.max(1, workersUsed.length);
		for (const [key, n] of Object.entries(perKey)) {
			assert.ok(n >= 1, `no token was ever asked for ${key}: the stream cannot have been opened`);
			assert.ok(n <= limit, `${n} ${TOKEN_ACTION} calls for ${key} from ${limit} worker(s): the token is not reused within a worker`);
		}
		ctx.results.chatbot = { messages: total, executions, tokenCalls: perKey, workers: workersUsed.length };
		return `${calls.length} token calls for ${total} messages over ${workersUsed.length} workers: ${JSON.stringify(perKey)}`;
	});
	// Not a check: concurrent executions of one workflow each save the whole static data they
	// loaded, so the last save wins (README, Queue mode). Printed so the number stays visible.
	const remembered = await rememberedConversations(cluster, workflow.id, executions);
	ctx.results.chatbot = { ...ctx.results.chatbot, rememberedWhenConcurrent: remembered };
	h.log(`observation: Remember Session By kept ${remembered} of ${executions} conversations whose executions ran at the same time`);

	await h.check(N.memory, async () => {
		const post = (m) =>
			fetch(`${cluster.main.baseUrl}/webhook/queue-chat-batch`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({
					messages: [{ id: `seq-${m}`, agentKey: AGENT_KEYS[0], text: `${SEQUENTIAL_TEXT} ${m}`, conversation: SEQUENTIAL_KEY }],
				}),
			});
		const seen = new Set((await executionsOf(ctx.postgres, workflow.id)).map((e) => e.id));
		for (let m = 1; m <= SEQUENTIAL_MESSAGES; m++) {
			const response = await post(m);
			assert.equal(response.status, 200, `message ${m}: ${response.status}`);
			await waitForExecutions({ postgres: ctx.postgres, workflowId: workflow.id, expected: executions + m, cluster, timeoutMs: 60000 });
		}
		const mine = (await executionsOf(ctx.postgres, workflow.id)).filter((e) => !seen.has(e.id));
		const failed = mine.filter((e) => e.status !== 'success');
		assert.equal(failed.length, 0, `failed: ${JSON.stringify(failed)}`);
		const after = cluster.executionsByWorker().ranOn;
		const workers = mine.map((e) => (after.get(e.id) ?? ['?'])[0]);
		const streams = (await emulator.requests('TongyiBeebotChat'))
			.map((r) => chatRequest(r))
			.filter((r) => typeof r.Utterance === 'string' && r.Utterance.startsWith(SEQUENTIAL_TEXT))
			.sort((a, b) => Number(a.Utterance.split(' ').at(-1)) - Number(b.Utterance.split(' ').at(-1)));
		assert.equal(streams.length, SEQUENTIAL_MESSAGES, `${streams.length} chat streams for the sequential conversation`);
		assert.ok(!streams[0].SessionId, 'the first message should open a new Chatbot session');
		const sessions = new Set(streams.slice(1).map((r) => r.SessionId));
		assert.ok(!sessions.has(undefined) && sessions.size === 1, `later messages did not continue one session: ${JSON.stringify(streams.map((r) => r.SessionId ?? null))} (workers ${workers.join(', ')})`);
		const switches = workers.filter((w, i) => i > 0 && w !== workers[i - 1]).length;
		assert.ok(switches > 0, `all ${SEQUENTIAL_MESSAGES} executions ran on ${workers[0]}; the session was never handed across workers`);
		return `workers in turn: ${workers.join(' → ')}; one Chatbot session continued across ${switches} worker switch(es)`;
	});
}

/** The conversation keys of the concurrent batches that are in the node's static data now. */
async function rememberedConversations(cluster, workflowId, executions) {
	const response = await cluster.main.rest('GET', `/rest/workflows/${workflowId}`);
	if (response.status !== 200) throw new Error(`GET workflow: ${response.status}`);
	const sessions = response.body.data.staticData?.[`node:${CHAT_NODE}`]?.chatbotSessions ?? {};
	return Array.from({ length: executions }, (_, e) => `queue-conversation-${e}`).filter((key) => sessions[key]?.sessionId).length;
}

/** The chat stream request body wraps the Chatbot request as data[0].value, a JSON string. */
function chatRequest(recorded) {
	try {
		return JSON.parse(recorded.json.data[0].value);
	} catch {
		return {};
	}
}

module.exports = { WORKFLOW, run, names };
