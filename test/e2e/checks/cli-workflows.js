'use strict';

const fs = require('node:fs');
const path = require('node:path');

const { startEmulatorProcess } = require('../../../scripts/lib/emulator');
const { assert } = require('../lib/harness');
const { parseCsv, nodeOutput, runError } = require('../lib/data');
const { readLog, tail, LOAD_PROBLEMS } = require('../lib/util');

const ARCHIVE = 'ice-archive-analyze-to-csv.json';
const DIANJIN = 'dianjin-dialog-ccai-fields.json';
const HTTP = 'http-request-ice-describe.json';

const SEED_INSTANCE = 'b9566d0c2f0e4e5c9a7b1f3e8d3c5eb2';
const DIANJIN_SESSIONS = ['1906623923815534001', '1906623923815534002'];

const N = {
	http: 'HTTP Request node signs with the Alibaba Cloud credential (ICE DescribeAIAgentInstance via n8n execute)',
	archive1: 'archive example, run 1: one CSV row per call, analyzed by CCAI',
	archive2: 'archive example, run 2: the watermark lets no old call through (0 rows, no file)',
	archive3: 'archive example, run 3: after 3 new calls appear, exactly those 3 are written',
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

function csvFiles(dir) {
	return fs
		.readdirSync(dir)
		.filter((name) => /^calls-.*\.csv$/.test(name))
		.sort();
}

function readCsv(dir, name) {
	return parseCsv(fs.readFileSync(path.join(dir, name), 'utf8'));
}

function checkRows(rows) {
	for (const row of rows) {
		assert.match(row.instanceId, /^[0-9a-f]{32}$/, `row without a real instance id: ${JSON.stringify(row).slice(0, 300)}`);
		assert.ok(!Number.isNaN(Date.parse(row.startedAt)), `startedAt "${row.startedAt}" is not a date`);
		assert.ok(Number(row.sentenceCount) >= 4, `sentenceCount ${row.sentenceCount}`);
		assert.match(row.transcript, /^agent: /, 'transcript does not start with the agent greeting');
		assert.equal(row.transcript.split('\n').length, Number(row.sentenceCount), 'transcript lines != sentenceCount');
		assert.match(row.summary, new RegExp(`共${row.sentenceCount}句对话`), `summary does not describe this call: ${row.summary}`);
		const inspection = JSON.parse(row.inspection);
		assert.deepEqual(
			inspection.map((d) => d.title),
			['Request not answered', 'Private data requested'],
			'service inspection does not cover the two dimensions',
		);
		assert.equal(row.inspectionHits, '', 'the emulator reports no hits');
		assert.match(row.userData, /"ticket":"T1000\d\d"/, 'UserData not carried into the row');
	}
	const started = rows.map((r) => Date.parse(r.startedAt));
	assert.deepEqual(started, [...started].sort((a, b) => a - b), 'rows are not in call order');
	assert.equal(new Set(rows.map((r) => r.instanceId)).size, rows.length, 'duplicate calls in the CSV');
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

	const archiveId = id(ARCHIVE);
	let firstRows;
	let watermark;
	const first = await h.check(N.archive1, async () => {
		assert.ok(archiveId, `examples/${ARCHIVE} is missing`);
		await emulator.reset();
		const data = await execute(ctx, archiveId);
		const files = csvFiles(ctx.csvDir);
		assert.equal(files.length, 1, `expected one CSV file, found ${files.join(', ') || 'none'}`);
		firstRows = readCsv(ctx.csvDir, files[0]);
		assert.equal(firstRows.length, ctx.firstInstances, `${firstRows.length} rows for ${ctx.firstInstances} calls`);
		checkRows(firstRows);
		const analyses = await emulator.requests('AnalyzeConversation');
		assert.equal(analyses.length, ctx.firstInstances, `${analyses.length} CCAI calls`);
		assert.deepEqual(analyses[0].json.resultTypes, ['summary', 'service_inspection']);
		const [saved] = nodeOutput(data, 'Save watermark') ?? [];
		watermark = saved?.watermark;
		assert.equal(watermark, firstRows.at(-1).startedAt, 'the watermark is not the newest call');
		return `${files[0]}: ${firstRows.length} rows, watermark ${watermark}`;
	});

	await h.check(N.archive2, async () => {
		assert.ok(first, 'run 1 failed');
		await emulator.reset();
		const data = await execute(ctx, archiveId);
		const listed = nodeOutput(data, 'List calls with transcripts') ?? [];
		const kept = nodeOutput(data, 'Keep only new calls');
		assert.ok(Array.isArray(kept), 'Keep only new calls did not run');
		assert.equal(kept.length, 0, `${kept.length} calls passed the watermark`);
		assert.ok(listed.length >= 1, 'the listing should still return the call at the watermark second');
		const [list] = await emulator.requests('ListAIAgentInstance');
		assert.equal(list.query.StartTime, new Date(Math.floor(Date.parse(watermark) / 1000) * 1000).toISOString().replace('.000Z', 'Z'), 'the listing did not start at the watermark');
		assert.equal((await emulator.requests('AnalyzeConversation')).length, 0, 'CCAI was called again');
		assert.equal(csvFiles(ctx.csvDir).length, 1, 'a second CSV file was written');
		return `listed ${listed.length} call(s) from ${list.query.StartTime}, kept 0`;
	});

	await h.check(N.archive3, async () => {
		assert.ok(first, 'run 1 failed');
		// The emulator's agent gains its newest 3 calls: restart it on the same port with 23.
		const port = Number(new URL(ctx.emulator.url).port);
		await ctx.emulator.stop();
		ctx.emulator = await startEmulatorProcess({ port });
		const before = new Set(csvFiles(ctx.csvDir));
		await execute(ctx, archiveId);
		const added = csvFiles(ctx.csvDir).filter((name) => !before.has(name));
		assert.equal(added.length, 1, `expected one new CSV file, found ${added.length}`);
		const rows = readCsv(ctx.csvDir, added[0]);
		checkRows(rows);
		assert.equal(rows.length, 3, `${rows.length} rows instead of the 3 new calls`);
		const old = new Set(firstRows.map((r) => r.instanceId));
		assert.ok(rows.every((r) => !old.has(r.instanceId)), 'an already archived call was written again');
		assert.ok(rows.every((r) => Date.parse(r.startedAt) > Date.parse(watermark)), 'a row is older than the watermark');
		assert.equal((await ctx.emulator.requests('AnalyzeConversation')).length, 3, 'CCAI should analyze only the new calls');
		ctx.archiveWatermark = rows.at(-1).startedAt;
		return `${added[0]}: ${rows.map((r) => r.startedAt).join(', ')}`;
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
