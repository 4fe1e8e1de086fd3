'use strict';

const fs = require('node:fs');
const path = require('node:path');

const { emulatorRamRoleData } = require('../../../scripts/lib/examples');
const { assert } = require('../lib/harness');
const { nodeOutput, runError } = require('../lib/data');
const { tail } = require('../lib/util');
const { RAM_ROLE_WORKFLOW, RAM_ROLE_CREDENTIAL } = require('../lib/ramRole');

/** Keys the emulator's STS issues live this long here, so the second run finds the stored one expired. */
const SHORT_LIFETIME_SECONDS = 6;
const SESSIONS = ['1906623923815534001', '1906623923815534002'];

const N = {
	run1: 'RAM role: the DianJin example runs on the RAM role credential (one AssumeRole, every call signed with the temporary key)',
	stored: 'RAM role: n8n stored the temporary key in the credential, encrypted (export:credentials)',
	run2: 'RAM role: a second execution after the stored key expired renews it first (one more AssumeRole, no call sent with the expired key)',
	testOk: 'RAM role credential test (POST /rest/credentials/test): AssumeRole, then GetCallerIdentity with the temporary key → success',
	testTrust: 'RAM role credential test: a role whose trust policy does not allow the key → failure naming the trust policy',
};
const CLI_NAMES = [N.run1, N.stored, N.run2];
const SERVER_NAMES = [N.testOk, N.testTrust];

const admin = async (emulator, method, route, body) => {
	const response = await fetch(`${emulator.url}/__emulator/${route}`, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	assert.ok(response.ok, `emulator ${method} ${route}: ${response.status}`);
	return await response.json();
};

const credentialOf = (request) => /Credential=([^,]+)/.exec(request.headers.authorization ?? '')?.[1];

async function executeRun(ctx, id) {
	const result = await ctx.n8n.execute(id);
	assert.ok(result.data, `n8n execute printed no run data (exit ${result.code}):\n${tail(result.stdout + result.stderr + result.log)}`);
	const error = runError(result.data);
	assert.ok(!error, `the run failed: ${error}`);
	const rows = nodeOutput(result.data, 'One row per session') ?? [];
	assert.deepEqual(rows.map((r) => r.sessionId), SESSIONS, 'the example did not produce one row per session');
	return rows;
}

/** Signed calls to DianJin and CCAI since the last reset, with the key each was signed with. */
async function signedCalls(emulator) {
	const requests = await emulator.requests();
	return requests.filter((r) => r.action === 'GetDialogDetail' || r.action === 'AnalyzeConversation');
}

/** The credential as n8n's database holds it, through `n8n export:credentials` (decrypted only on request). */
async function exportedCredential(ctx, decrypted) {
	const file = path.join(ctx.workDir, `ram-role-credential-${decrypted ? 'plain' : 'encrypted'}.json`);
	const result = await ctx.n8n.cli(['export:credentials', `--id=${RAM_ROLE_CREDENTIAL.id}`, `--output=${file}`, ...(decrypted ? ['--decrypted'] : [])]);
	assert.ok(fs.existsSync(file), `export:credentials wrote nothing:\n${tail(result.stdout + result.stderr)}`);
	const exported = JSON.parse(fs.readFileSync(file, 'utf8'));
	fs.rmSync(file);
	const credential = Array.isArray(exported) ? exported[0] : exported;
	assert.ok(credential, 'the RAM role credential was not exported');
	return credential;
}

/** CLI phase (before n8n start): executions through `n8n execute`, the stored key read back with export:credentials. */
async function runCli(ctx) {
	const { h } = ctx;
	const id = ctx.helpers[RAM_ROLE_WORKFLOW]?.id;
	let firstKey;
	const first = await h.check(N.run1, async () => {
		assert.ok(id, `${RAM_ROLE_WORKFLOW} was not imported`);
		await ctx.emulator.reset();
		await admin(ctx.emulator, 'POST', 'sts', { lifetimeSeconds: SHORT_LIFETIME_SECONDS });
		await executeRun(ctx, id);
		const calls = await admin(ctx.emulator, 'GET', 'sts/calls');
		assert.equal(calls.length, 1, `${calls.length} AssumeRole calls: ${JSON.stringify(calls).slice(0, 500)}`);
		assert.equal(calls[0].signature, 'V3');
		assert.deepEqual(calls[0].params, { RoleArn: 'acs:ram::1234567890123456:role/emulatorrole', RoleSessionName: 'n8n', DurationSeconds: '3600' });
		firstKey = calls[0].issuedAccessKeyId;
		const signed = await signedCalls(ctx.emulator);
		assert.equal(signed.length, 4, `${signed.length} DianJin/CCAI calls`);
		for (const request of signed) {
			assert.equal(request.status, 200, `${request.action} answered ${request.status}`);
			assert.equal(credentialOf(request), firstKey, `${request.action} was not signed with the temporary key`);
			assert.ok(request.headers['x-acs-security-token'], `${request.action} carried no x-acs-security-token`);
		}
		return `AssumeRole → ${firstKey}, 4 calls signed with it`;
	});

	await h.check(N.stored, async () => {
		assert.ok(first, 'run 1 failed');
		const encrypted = await exportedCredential(ctx, false);
		assert.equal(typeof encrypted.data, 'string', 'the exported credential data should be encrypted');
		assert.ok(!encrypted.data.includes(firstKey), 'the temporary key is readable in the stored credential');
		const plain = await exportedCredential(ctx, true);
		const session = JSON.parse(plain.data.temporaryCredentials);
		assert.equal(session.accessKeyId, firstKey, 'the stored temporary key is not the one STS issued');
		assert.ok(Date.parse(session.expiration) > 0 && session.refreshAt < Date.parse(session.expiration));
		return `expires ${session.expiration}, renew from ${new Date(session.refreshAt).toISOString()}`;
	});

	await h.check(N.run2, async () => {
		assert.ok(first, 'run 1 failed');
		const plain = await exportedCredential(ctx, true);
		const { expiration } = JSON.parse(plain.data.temporaryCredentials);
		const wait = Date.parse(expiration) - Date.now() + 500;
		if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
		const before = (await admin(ctx.emulator, 'GET', 'sts/calls')).length;
		const offset = (await ctx.emulator.requests()).length;
		await executeRun(ctx, id);
		const calls = await admin(ctx.emulator, 'GET', 'sts/calls');
		assert.equal(calls.length - before, 1, `${calls.length - before} AssumeRole calls in run 2`);
		const renewed = calls.at(-1).issuedAccessKeyId;
		assert.notEqual(renewed, firstKey);
		const all = (await ctx.emulator.requests()).slice(offset);
		assert.deepEqual(all.filter((r) => r.status >= 400).map((r) => `${r.action} ${r.status}`), [], 'a call was refused in run 2');
		const signed = all.filter((r) => r.action === 'GetDialogDetail' || r.action === 'AnalyzeConversation');
		assert.equal(signed.length, 4, `${signed.length} DianJin/CCAI calls in run 2`);
		for (const request of signed) assert.equal(credentialOf(request), renewed, `${request.action} was not signed with the renewed key`);
		const stored = JSON.parse((await exportedCredential(ctx, true)).data.temporaryCredentials);
		assert.equal(stored.accessKeyId, renewed, 'the renewed key was not written back to the credential');
		return `waited ${Math.max(0, wait)} ms past expiry; renewed ${firstKey} → ${renewed}`;
	});
	await ctx.emulator.reset();
}

/** Server phase (n8n running, owner logged in): the Test button over the REST API. */
async function runServer(ctx) {
	const { h, n8n } = ctx;
	const test = (data) =>
		n8n.rest('POST', '/rest/credentials/test', {
			credentials: { id: RAM_ROLE_CREDENTIAL.id, name: RAM_ROLE_CREDENTIAL.name, type: 'alibabaCloudRamRoleApi', data },
		});
	await h.check(N.testOk, async () => {
		await ctx.emulator.reset();
		// A session name no run used, so the test cannot be answered from a key n8n already holds.
		const response = await test(emulatorRamRoleData(ctx.emulator.url, { roleSessionName: 'n8n-test-button' }));
		assert.equal(response.status, 200);
		assert.equal(response.body.data?.status, 'OK', JSON.stringify(response.body));
		const calls = await admin(ctx.emulator, 'GET', 'sts/calls');
		assert.equal(calls.length, 1, 'the test did not assume the role');
		const [identity] = await ctx.emulator.requests('GetCallerIdentity');
		assert.equal(identity?.status, 200, 'GetCallerIdentity did not succeed');
		assert.equal(credentialOf(identity), calls[0].issuedAccessKeyId, 'GetCallerIdentity was not signed with the temporary key');
		return response.body.data.message;
	});
	await h.check(N.testTrust, async () => {
		await ctx.emulator.reset();
		const response = await test(emulatorRamRoleData(ctx.emulator.url, { roleArn: 'acs:ram::1234567890123456:role/emulator-untrusting' }));
		assert.equal(response.body.data?.status, 'Error', JSON.stringify(response.body));
		assert.match(response.body.data.message, /AssumeRole.*NoPermission.*trust policy/);
		assert.doesNotMatch(JSON.stringify(response.body), /EmulatorTestSecret/, 'the source secret leaked into the answer');
		return response.body.data.message;
	});
}

module.exports = { runCli, runServer, CLI_NAMES, SERVER_NAMES, NAMES: [...CLI_NAMES, ...SERVER_NAMES] };
