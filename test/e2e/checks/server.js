'use strict';

const { DEMO_CALLBACK_TOKEN, emulatorAccessKeyData } = require('../../../scripts/lib/examples');
const { PACKAGE_NAME } = require('../../../scripts/lib/paths');
const { assert } = require('../lib/harness');
const { unflatten } = require('../lib/data');
const { tail, waitFor, LOAD_PROBLEMS } = require('../lib/util');
const pollExample = require('./poll-example');

const CHAT = 'chatbot-streaming-chat.json';
const TRIGGER = 'ice-agent-callbacks-archive.json';

const OWNER = { email: 'e2e-owner@example.com', password: 'E2e-Owner-Passw0rd', firstName: 'E2E', lastName: 'Owner' };
const NODE_TYPES = ['alibabaIceArchive', 'alibabaChatbotChat', 'alibabaCcaiAnalyze', 'alibabaDialogDetail', 'alibabaIceAgentTrigger'].map(
	(name) => `${PACKAGE_NAME}.${name}`,
);
const TOOL_NODE_TYPES = NODE_TYPES.filter((t) => !t.endsWith('Trigger')).map((t) => `${t}Tool`);
const CREDENTIAL_TYPES = ['alibabaCloudAccessKeyApi', 'alibabaIceAgentCallbackApi'];

const SEED_UTTERANCE = '你有什么技能?';
const SEED_ANSWER = '我是个大模型,能够回答问题、创作文字,比如写故事、写公文、写邮件、写剧本等等,还能表达观点,玩游戏等。';
const SEED_INSTANCE = 'b9566d0c2f0e4e5c9a7b1f3e8d3c5eb2';

const N = {
	start: 'n8n start: editor and REST API answer with the package installed',
	login: 'owner setup and login over the REST API',
	types: `the running n8n lists the 5 nodes as ${PACKAGE_NAME}.*, their 4 AI-tool variants and both credential types`,
	log: 'server log: no "Unrecognized node type" or package load error',
	credGood: 'credential test (POST /rest/credentials/test): emulator AccessKey → success',
	credBad: 'credential test: wrong AccessKey secret or unknown AccessKey ID → failure that says which',
	tokenTest: 'callback token credential test: usable token → success, " Bearer x" → failure',
	chatActivate: 'chat example: the workflow activates (publishes)',
	chatStream: 'chat example: a chat message streams the Chatbot answer into the n8n chat',
	chatSession: 'chat example (no Code node): a second message continues the same Chatbot session (Remember Session By)',
	trigActivate: 'trigger example: the workflow activates (publishes)',
	trigNoToken: 'trigger example: callback without token → 401, no execution',
	trigWrongToken: 'trigger example: callback with a wrong token → 401, no execution',
	trigOtherEvent: 'trigger example: an event the node does not listen to → 200, started:false',
	trigToken: 'trigger example: callback with the token → 200, the call is archived and analyzed',
	trigRepeat: 'trigger example: the same callback again → 200, started:false, repeat:true, no second execution (n8n saved the static data)',
	trigNoBodyInLog: 'trigger example: a non-JSON body (text/plain → 400 by the node, application/json → 422 by n8n) leaves none of its text in the server log',
};
const NAMES = [...Object.values(N), ...pollExample.NAMES.slice(1)];

async function activate(n8n, id) {
	const current = await n8n.rest('GET', `/rest/workflows/${id}`);
	assert.equal(current.status, 200, `GET workflow ${id}: ${current.status}`);
	const response = await n8n.rest('POST', `/rest/workflows/${id}/activate`, { versionId: current.body.data.versionId });
	assert.equal(response.status, 200, `activate: ${response.status} ${JSON.stringify(response.body).slice(0, 800)}`);
	assert.ok(response.body.data.active || response.body.data.activeVersionId, 'the workflow is not active after activation');
}

async function executions(n8n, workflowId) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const response = await n8n.rest('GET', `/rest/executions?filter=${filter}&limit=50`);
	assert.equal(response.status, 200, `GET executions: ${response.status}`);
	return response.body.data.results;
}

async function executionRunData(n8n, executionId) {
	const response = await n8n.rest('GET', `/rest/executions/${executionId}`);
	assert.equal(response.status, 200, `GET execution ${executionId}: ${response.status}`);
	const data = unflatten(response.body.data.data);
	return data.resultData;
}

/** Posts a chat message to the Chat Trigger's production URL and reads the newline-delimited JSON stream. */
async function chat(n8n, webhookId, sessionId, chatInput) {
	const response = await fetch(`${n8n.baseUrl}/webhook/${webhookId}/chat`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ action: 'sendMessage', sessionId, chatInput }),
	});
	const text = await response.text();
	const chunks = text
		.split('\n')
		.filter((line) => line.trim())
		.map((line) => {
			try {
				return JSON.parse(line);
			} catch {
				return { type: 'unparsed', content: line };
			}
		});
	const answer = chunks
		.filter((c) => c.type === 'item')
		.map((c) => c.content ?? '')
		.join('');
	return { status: response.status, contentType: response.headers.get('content-type'), chunks, answer, text };
}

async function postCallback(n8n, webhookId, body, authorization, contentType = 'application/json') {
	const response = await fetch(`${n8n.baseUrl}/webhook/${webhookId}/ice-agent`, {
		method: 'POST',
		headers: { 'content-type': contentType, ...(authorization ? { authorization } : {}) },
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await response.text();
	let json;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: response.status, json, text };
}

/** The chat stream body wraps the request as data[0].value, a JSON string. */
function chatRequest(recorded) {
	const value = recorded?.json?.data?.[0]?.value;
	assert.ok(typeof value === 'string', `unexpected chatbot request body: ${recorded?.body?.slice(0, 300)}`);
	return JSON.parse(value);
}

function webhookIdOf(workflow, type) {
	const node = workflow.nodes.find((n) => n.type === type);
	assert.ok(node?.webhookId, `the example has no ${type} node with a webhookId`);
	return node.webhookId;
}

async function run(ctx) {
	const { h, n8n } = ctx;

	const started = await h.check(N.start, async () => {
		const t0 = Date.now();
		await n8n.start({ timeoutMs: 180000 });
		const health = await fetch(`${n8n.baseUrl}/healthz`);
		assert.equal(health.status, 200);
		return `ready in ${((Date.now() - t0) / 1000).toFixed(1)} s on ${n8n.baseUrl}`;
	});
	if (!started) {
		h.notRun(NAMES.slice(1), `n8n did not start:\n${tail(n8n.serverOutput)}`);
		return;
	}
	const loggedIn = await h.check(N.login, async () => {
		assert.equal(await n8n.ownerSetUp(), false, 'a fresh instance should ask for owner setup');
		await n8n.setupOwner(OWNER);
		const me = await n8n.login(OWNER);
		assert.equal(me.email, OWNER.email);
		ctx.owner = OWNER;
	});
	if (!loggedIn) {
		h.notRun(NAMES.slice(2), 'no login');
		return;
	}

	await h.check(N.types, async () => {
		const nodes = await n8n.nodeTypeNames();
		assert.deepEqual(NODE_TYPES.filter((t) => !nodes.includes(t)), [], 'node types missing from /types/nodes.json');
		// n8n derives an AI-agent tool variant from every node marked usableAsTool.
		const tools = TOOL_NODE_TYPES.filter((t) => !nodes.includes(t));
		assert.deepEqual(tools, [], 'AI tool variants missing from /types/nodes.json');
		const credentials = await n8n.credentialTypeNames();
		assert.deepEqual(CREDENTIAL_TYPES.filter((t) => !credentials.includes(t)), [], 'credential types missing');
	});

	const accessKey = ctx.credentials.find((c) => c.type === 'alibabaCloudAccessKeyApi');
	const callbackCredential = ctx.credentials.find((c) => c.type === 'alibabaIceAgentCallbackApi');
	const testCredential = (credential, data) =>
		n8n.rest('POST', '/rest/credentials/test', {
			credentials: { id: credential.id, name: credential.name, type: credential.type, data },
		});

	await h.check(N.credGood, async () => {
		await ctx.emulator.reset();
		const response = await testCredential(accessKey, emulatorAccessKeyData(ctx.emulator.url));
		assert.equal(response.status, 200);
		assert.equal(response.body.data.status, 'OK', JSON.stringify(response.body.data));
		const [call] = await ctx.emulator.requests('GetCallerIdentity');
		assert.equal(call?.status, 200, 'the test request did not reach STS GetCallerIdentity on the emulator');
		return response.body.data.message;
	});
	await h.check(N.credBad, async () => {
		await ctx.emulator.reset();
		const response = await testCredential(accessKey, emulatorAccessKeyData(ctx.emulator.url, { accessKeySecret: 'not-the-right-secret' }));
		assert.equal(response.status, 200);
		assert.equal(response.body.data.status, 'Error', JSON.stringify(response.body.data));
		const [call] = await ctx.emulator.requests('GetCallerIdentity');
		assert.equal(call?.status, 400, 'the emulator should have refused the signature');
		assert.doesNotMatch(JSON.stringify(response.body), /not-the-right-secret/, 'the secret leaked into the answer');
		assert.match(response.body.data.message, /AccessKey secret does not belong/, 'the failure should say what is wrong');
		await ctx.emulator.reset();
		const unknown = await testCredential(
			accessKey,
			emulatorAccessKeyData(ctx.emulator.url, { accessKeyId: 'LTAI5tNoSuchKeyAtAll00' }),
		);
		assert.equal(unknown.body.data.status, 'Error', JSON.stringify(unknown.body.data));
		assert.match(unknown.body.data.message, /AccessKey ID was not found/);
		return response.body.data.message;
	});
	await h.check(N.tokenTest, async () => {
		assert.ok(callbackCredential, 'no example uses the callback credential');
		const good = await testCredential(callbackCredential, { token: DEMO_CALLBACK_TOKEN });
		assert.equal(good.body.data?.status, 'OK', JSON.stringify(good.body));
		const bad = await testCredential(callbackCredential, { token: ' Bearer x' });
		assert.equal(bad.body.data?.status, 'Error', JSON.stringify(bad.body));
	});

	// The scheduled example polls for a few minutes: it runs while the checks below and the editor's do;
	// run-e2e.js waits for it at the end (pollExample.finish).
	await pollExample.begin(ctx);
	await runChat(ctx);
	await runTrigger(ctx);

	await h.check(N.log, () => {
		const problems = n8n.serverOutput.split('\n').filter((line) => LOAD_PROBLEMS.test(line));
		assert.deepEqual(problems, [], problems.join('\n'));
	});

	if (ctx.options.screenshots) {
		const { takeScreenshots } = require('./screenshots');
		await takeScreenshots(ctx);
	}
}

async function runChat(ctx) {
	const { h, n8n } = ctx;
	const example = ctx.examples[CHAT];
	if (!example) {
		h.notRun([N.chatActivate, N.chatStream, N.chatSession], `examples/${CHAT} is missing`);
		return;
	}
	const webhookId = webhookIdOf(example.workflow, '@n8n/n8n-nodes-langchain.chatTrigger');
	const activated = await h.check(N.chatActivate, () => activate(n8n, example.id));
	if (!activated) {
		h.notRun([N.chatStream, N.chatSession], 'not active');
		return;
	}
	const sessionId = `e2e-${Date.now()}`;
	const streamed = await h.check(N.chatStream, async () => {
		await ctx.emulator.reset();
		const reply = await chat(n8n, webhookId, sessionId, SEED_UTTERANCE);
		assert.equal(reply.status, 200, tail(reply.text, 1000));
		const items = reply.chunks.filter((c) => c.type === 'item');
		assert.ok(reply.chunks.some((c) => c.type === 'begin') && reply.chunks.some((c) => c.type === 'end'), `not a stream:\n${tail(reply.text, 1000)}`);
		assert.ok(items.length > 1, `the answer arrived in ${items.length} piece(s), not streamed`);
		assert.equal(reply.answer, SEED_ANSWER);
		const [stream] = await ctx.emulator.requests('TongyiBeebotChat');
		assert.equal(chatRequest(stream).Utterance, SEED_UTTERANCE);
		return `${items.length} chunks`;
	});
	await h.check(N.chatSession, async () => {
		assert.ok(streamed, 'the first message failed');
		const first = chatRequest((await ctx.emulator.requests('TongyiBeebotChat'))[0]);
		const reply = await chat(n8n, webhookId, sessionId, '第二个问题');
		assert.equal(reply.status, 200);
		const calls = await ctx.emulator.requests('TongyiBeebotChat');
		const second = chatRequest(calls.at(-1));
		assert.equal(calls.length, 2, `${calls.length} chatbot streams`);
		assert.equal(first.SessionId, undefined, 'the first message should start a new Chatbot session');
		assert.ok(second.SessionId, 'the second message was sent without the Chatbot SessionId of the first');
		assert.match(reply.answer, /第2轮/, `the Chatbot did not treat it as turn 2: ${reply.answer}`);
		assert.match(reply.answer, new RegExp(SEED_UTTERANCE.replace(/[?]/g, '\\?')), 'the answer does not quote the previous utterance');
		return reply.answer;
	});
}

async function runTrigger(ctx) {
	const { h, n8n } = ctx;
	const example = ctx.examples[TRIGGER];
	const names = [N.trigActivate, N.trigNoToken, N.trigWrongToken, N.trigOtherEvent, N.trigToken, N.trigRepeat, N.trigNoBodyInLog];
	if (!example) {
		h.notRun(names, `examples/${TRIGGER} is missing`);
		return;
	}
	const webhookId = webhookIdOf(example.workflow, `${PACKAGE_NAME}.alibabaIceAgentTrigger`);
	const activated = await h.check(N.trigActivate, () => activate(n8n, example.id));
	if (!activated) {
		h.notRun(names.slice(1), 'not active');
		return;
	}
	const callback = (event) => ({
		aiAgentId: 'emu-agent-mixed',
		instanceId: SEED_INSTANCE,
		event,
		data: { reason: 'user hung up' },
		timestamp: Date.now(),
	});
	const count = async () => (await executions(n8n, example.id)).length;

	await h.check(N.trigNoToken, async () => {
		const before = await count();
		const response = await postCallback(n8n, webhookId, callback('agent_stop'));
		assert.equal(response.status, 401, response.text);
		await new Promise((r) => setTimeout(r, 500));
		assert.equal(await count(), before, 'an execution started');
	});
	await h.check(N.trigWrongToken, async () => {
		const before = await count();
		const response = await postCallback(n8n, webhookId, callback('agent_stop'), `Bearer ${DEMO_CALLBACK_TOKEN}-wrong`);
		assert.equal(response.status, 401, response.text);
		assert.doesNotMatch(response.text, new RegExp(DEMO_CALLBACK_TOKEN), 'the token leaked into the answer');
		await new Promise((r) => setTimeout(r, 500));
		assert.equal(await count(), before, 'an execution started');
	});
	await h.check(N.trigOtherEvent, async () => {
		const before = await count();
		const response = await postCallback(n8n, webhookId, callback('agent_start'), DEMO_CALLBACK_TOKEN);
		assert.equal(response.status, 200, response.text);
		assert.equal(response.json?.started, false, response.text);
		await new Promise((r) => setTimeout(r, 500));
		assert.equal(await count(), before, 'an execution started');
	});
	const delivered = callback('agent_stop');
	const tokenPassed = await h.check(N.trigToken, async () => {
		await ctx.emulator.reset();
		const before = await executions(n8n, example.id);
		const response = await postCallback(n8n, webhookId, delivered, `Bearer ${DEMO_CALLBACK_TOKEN}`);
		assert.equal(response.status, 200, response.text);
		assert.equal(response.json?.started, true, response.text);
		const done = await waitFor(
			async () => {
				const list = await executions(n8n, example.id);
				const fresh = list.filter((e) => !before.some((b) => b.id === e.id));
				return fresh.find((e) => !['new', 'running', 'waiting'].includes(e.status));
			},
			60000,
			'the callback execution to finish',
		);
		const resultData = await executionRunData(n8n, done.id);
		assert.equal(done.status, 'success', `execution ${done.id} ${done.status}: ${resultData.error?.message ?? ''}`);
		const runData = resultData.runData;
		const trigger = runData['ICE Agent Trigger'][0].data.main[0][0].json;
		assert.equal(trigger.instanceId, SEED_INSTANCE);
		assert.equal(trigger.event, 'agent_stop');
		assert.equal(trigger.deliveryKey, `agent_stop:${SEED_INSTANCE}:timestamp=${delivered.timestamp}`);
		const analyzed = runData['Analyze Conversation'][0].data.main[0][0].json;
		assert.equal(analyzed.instanceId, SEED_INSTANCE, 'the analyzed item lost the call');
		assert.ok(analyzed.conversation?.sentences?.length, 'the analyzed item lost the conversation');
		const analysis = analyzed.analysis;
		assert.match(analysis?.result?.summary, /共7句对话/, `the summary is not of the seed call: ${JSON.stringify(analysis).slice(0, 400)}`);
		assert.equal(analysis.result.service_inspection.length, 2);
		return `execution ${done.id}: ${analysis.result.summary.slice(0, 40)}…`;
	});
	if (!tokenPassed) {
		h.notRun([N.trigRepeat], 'the first delivery did not pass');
	} else {
		await h.check(N.trigRepeat, async () => {
			const before = await count();
			// n8n loads static data from the database for each request: only a saved first delivery is recognised.
			const response = await postCallback(n8n, webhookId, delivered, DEMO_CALLBACK_TOKEN);
			assert.equal(response.status, 200, response.text);
			assert.deepEqual(response.json, { received: true, event: 'agent_stop', started: false, repeat: true });
			await new Promise((r) => setTimeout(r, 1000));
			assert.equal(await count(), before, 'the repeat started an execution');
		});
	}
	await h.check(N.trigNoBodyInLog, async () => {
		const marker = `E2E-PERSONAL-${Date.now()}`;
		const raw = `${marker} {"event": "agent_stop"`;
		const plain = await postCallback(n8n, webhookId, raw, DEMO_CALLBACK_TOKEN, 'text/plain');
		assert.equal(plain.status, 400, plain.text);
		assert.doesNotMatch(plain.text, new RegExp(marker.slice(0, 10)), 'the 400 answer quotes the body');
		const json = await postCallback(n8n, webhookId, raw, DEMO_CALLBACK_TOKEN, 'application/json');
		assert.equal(json.status, 422, json.text);
		await new Promise((r) => setTimeout(r, 500));
		assert.doesNotMatch(n8n.serverOutput, new RegExp(marker.slice(0, 10)), 'the server log holds text of the body');
		assert.match(n8n.serverOutput, /rejected a callback \(400\): The callback body is not valid JSON/);
		return `n8n's own 422 answer: ${json.text.slice(0, 160)}`;
	});
}

module.exports = { run, NAMES };
