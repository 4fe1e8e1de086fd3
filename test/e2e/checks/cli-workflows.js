'use strict';

const { assert } = require('../lib/harness');
const { nodeOutput, runError } = require('../lib/data');
const { readLog, tail, LOAD_PROBLEMS } = require('../lib/util');

const DIANJIN = 'dianjin-dialog-ccai-fields.json';
const HTTP = 'http-request-ice-describe.json';

const SEED_INSTANCE = 'b9566d0c2f0e4e5c9a7b1f3e8d3c5eb2';
const DIANJIN_SESSIONS = ['1906623923815534001', '1906623923815534002'];

const N = {
	http: 'HTTP Request node signs with the Alibaba Cloud credential (ICE DescribeAIAgentInstance via n8n execute)',
	dianjin: 'DianJin example (no Code node): dialog detail for a list of sessions, CCAI fields added to each session',
	cliClean: 'n8n CLI runs loaded every node type (no "Unrecognized node type")',
};
const NAMES = Object.values(N);

/** Runs a workflow with `n8n execute` and fails with n8n's own error if the run failed. */
async function execute(ctx, id) {
	const result = await ctx.n8n.execute(id);
	ctx.cliOutput = (ctx.cliOutput ?? '') + result.stdout + result.stderr;
	if (!result.data) {
		throw new Error(`n8n execute printed no run data (exit ${result.code}):\n${tail(result.stdout + result.stderr + result.log)}`);
	}
	const error = runError(result.data);
	if (error) throw new Error(`the run failed: ${error}`);
	return result.data;
}

async function run(ctx) {
	const { h, emulator } = ctx;
	const id = (name) => (ctx.examples[name] ?? ctx.helpers[name])?.id;

	await h.check(N.http, async () => {
		await emulator.reset();
		const data = await execute(ctx, id(HTTP));
		const [out] = nodeOutput(data, 'DescribeAIAgentInstance') ?? [];
		assert.ok(out?.Instance, `no Instance in the output: ${JSON.stringify(out).slice(0, 500)}`);
		assert.equal(out.Instance.SessionId, 'emu-session-0001', 'the answer is not the seed instance');
		const requests = await emulator.requests('DescribeAIAgentInstance');
		assert.equal(requests.length, 1, `${requests.length} DescribeAIAgentInstance requests`);
		assert.equal(requests[0].status, 200, 'the emulator rejected the signature');
		assert.match(requests[0].headers.authorization, /^ACS3-HMAC-SHA256 Credential=LTAI5tEmulatorTestKey01,/);
		assert.equal(requests[0].query.InstanceId, SEED_INSTANCE);
	});

	await h.check(N.dianjin, async () => {
		const dianjinId = id(DIANJIN);
		assert.ok(dianjinId, `examples/${DIANJIN} is missing`);
		await ctx.emulator.reset();
		const data = await execute(ctx, dianjinId);
		const analyzed = nodeOutput(data, 'Extract fields') ?? [];
		assert.deepEqual(analyzed.map((o) => o.sessionId), DIANJIN_SESSIONS, 'CCAI Analyze did not keep the session items');
		assert.ok(analyzed.every((o) => o.conversation?.sentences?.length === 8 && o.analysis?.result), 'the items lack the dialog or the analysis');
		const out = nodeOutput(data, 'One row per session') ?? [];
		assert.deepEqual(out.map((o) => o.sessionId), DIANJIN_SESSIONS);
		for (const item of out) {
			assert.equal(item.status, 'COMPLETED');
			assert.equal(item.sentences, 8, 'the DianJin transcript has 8 lines');
			assert.deepEqual(Object.keys(item.fields).sort(), ['Phone number', 'Product', 'Request type', 'Transferred to a human']);
			assert.ok(['Inquiry', 'Complaint', 'Transaction'].includes(item.fields['Request type']), `Request type ${item.fields['Request type']}`);
			assert.ok(['Yes', 'No'].includes(item.fields['Transferred to a human']));
		}
		const analyses = await ctx.emulator.requests('AnalyzeConversation');
		assert.equal(analyses.length, 2);
		const sentences = analyses[0].json.dialogue.sentences;
		assert.equal(sentences.length, 8, 'CCAI did not get the whole DianJin dialog');
		assert.equal(sentences[1].role, 'user');
		assert.match(sentences[1].text, /基金/);
		assert.equal((await ctx.emulator.requests('GetDialogDetail')).length, 2);
		return JSON.stringify(out[0].fields);
	});

	await h.check(N.cliClean, () => {
		const text = (ctx.cliOutput ?? '') + readLog(ctx.n8n.cliLogFile);
		const problems = text.split('\n').filter((line) => LOAD_PROBLEMS.test(line));
		assert.deepEqual(problems, [], problems.join('\n'));
	});
}

module.exports = { run, NAMES };
