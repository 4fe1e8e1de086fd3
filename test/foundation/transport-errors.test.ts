import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { EMULATOR_KEYS, type Emulator, type Fault, FIXTURES, startEmulator } from '../emulator';
import { emulatorCredentials } from '../helpers/credentials';
import { runNode } from '../helpers/engine';
import { PROBE_NODE_TYPE, type ProbeItem } from './probe/alibabaProbe';

/**
 * AlibabaClient inside n8n's engine (through a test-only node) against the emulator: successful
 * RPC/ROA calls, the NodeApiError every failure becomes, retries, and secrets never leaking.
 */

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ port: 0 });
});
afterAll(async () => emu.close());
beforeEach(() => emu.reset());

type Keys = { accessKeyId: string; accessKeySecret: string; securityToken?: string };
const RAM: Keys = EMULATOR_KEYS;
const STS: Keys = EMULATOR_KEYS.sts;
const FAST_RETRY = { maxRetries: 3, baseDelayMs: 5, maxDelayMs: 20 };

async function probe(
	items: ProbeItem[],
	options: { keys?: Keys; continueOnFail?: boolean; concurrency?: number; retry?: object; overrides?: ICredentialDataDecryptedObject } = {},
) {
	return await runNode(
		PROBE_NODE_TYPE,
		{ concurrency: options.concurrency ?? 5, retry: JSON.stringify(options.retry ?? FAST_RETRY) },
		{
			input: items as unknown as IDataObject[],
			credentials: emulatorCredentials(emu.url, options.keys ?? RAM, options.overrides),
			continueOnFail: options.continueOnFail,
		},
	);
}

const describeInstance = (instanceId: string = FIXTURES.ice.seedInstanceId): ProbeItem => ({
	op: 'rpc',
	call: { service: 'ice', action: 'DescribeAIAgentInstance', version: FIXTURES.ice.version, params: { InstanceId: instanceId } },
});
const callerIdentity: ProbeItem = {
	op: 'rpc',
	call: { service: 'sts', action: 'GetCallerIdentity', version: FIXTURES.sts.version },
};
const analyze = (workspaceId: string = FIXTURES.ccai.workspaceId): ProbeItem => ({
	op: 'roa',
	call: {
		service: 'ccai',
		action: 'AnalyzeConversation',
		version: FIXTURES.ccai.version,
		method: 'POST',
		path: [workspaceId, 'ccai', 'app', FIXTURES.ccai.appId, 'analyze_conversation'],
		body: {
			stream: false,
			resultTypes: ['summary'],
			dialogue: { sentences: [{ role: 'user', text: '你好 😀 退款 & (50%) +~*' }, { role: 'agent', text: '好的' }] },
		},
	},
});
const dialogDetail = (sessionId: string): ProbeItem => ({
	op: 'roa',
	call: {
		service: 'dianjin',
		action: 'GetDialogDetail',
		version: FIXTURES.dianjin.version,
		method: 'GET',
		path: [FIXTURES.dianjin.workspaceId, 'api', 'virtualHuman', 'dialog', 'detail'],
		query: { sessionId },
	},
});

describe('successful calls inside the engine', () => {
	it.each([
		['RAM', RAM],
		['STS', STS],
	])('RPC and ROA calls return the parsed answers (%s keys)', async (_label, keys) => {
		const run = await probe(
			[describeInstance(), analyze(), dialogDetail(FIXTURES.dianjin.completedSessionId), callerIdentity],
			{ keys },
		);
		expect(run.error('Node')).toBeUndefined();
		const [ice, ccai, dianjin, sts] = run.items.map((item) => item.json.result as IDataObject);
		expect((ice.Instance as IDataObject).SessionId).toEqual(expect.any(String));
		expect(ccai).toMatchObject({ success: true, finishReason: 'stop', text: expect.any(String) });
		expect(dianjin).toMatchObject({ success: true, data: { status: 'COMPLETED' } });
		expect(sts.IdentityType).toBe(keys.securityToken ? 'AssumedRoleUser' : 'RAMUser');
		expect(run.items.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
		expect(emu.requests.map((r) => [r.action, r.status])).toEqual([
			['DescribeAIAgentInstance', 200],
			['AnalyzeConversation', 200],
			['GetDialogDetail', 200],
			['GetCallerIdentity', 200],
		]);
	});

	it('encodes ROA path segments so an id with `/`, spaces or unicode stays one segment', async () => {
		const run = await probe([{ ...analyze('ws/中 文?x#y'), tag: 'odd' }], { continueOnFail: true });
		// The emulator decoded one workspace segment and refused it as unknown, instead of a 404 route miss.
		expect(emu.requests[0].path).toBe('/ws%2F%E4%B8%AD%20%E6%96%87%3Fx%23y/ccai/app/' + FIXTURES.ccai.appId + '/analyze_conversation');
		expect(run.items[0].json.error).toMatch(/CCAI\.TenantPermission\.NoAuth/);
	});

	it('refuses path segments that URL parsers would resolve as navigation (`.`, `..`) or drop (empty)', async () => {
		const run = await probe([analyze('..'), analyze('.'), analyze('')], { continueOnFail: true });
		expect(emu.requests).toHaveLength(0);
		for (const item of run.items) {
			expect(item.json.error).toMatch(/Alibaba Cloud ContactCenterAI AnalyzeConversation failed: InvalidPath/);
		}
	});

	it('turns a ROA body with success:false (HTTP 200) into an error naming the business code', async () => {
		const run = await probe([dialogDetail(FIXTURES.dianjin.unknownSessionId)]);
		const error = run.error('Node')!;
		expect(error.message).toMatch(/^Alibaba Cloud DianJin GetDialogDetail failed: DIALOG_NOT_FOUND: The dialog with sessionId \d+ was not found\.$/);
		expect(emu.requests).toHaveLength(1);
	});
});

interface ErrorCase {
	name: string;
	items: ProbeItem[];
	keys?: Keys;
	fault?: Fault;
	code: RegExp;
	message: RegExp;
	operation: string;
	hint?: RegExp;
	status: number;
	calls: number;
}

const permissionHint = /lacks permission for this action/;
const workspaceHint = /^Check the Workspace ID and App ID in the node.*https:\/\/bailian\.console\.aliyun\.com/;
const throttleHint = /throttled the request\. It was retried with backoff/;
const ERROR_CASES: ErrorCase[] = [
	{
		name: 'unknown AccessKey ID',
		items: [describeInstance()],
		keys: { accessKeyId: 'LTAI5tNoSuchKey', accessKeySecret: 'whatever-secret' },
		code: /InvalidAccessKeyId\.NotFound/,
		message: /Specified access key is not found\./,
		operation: 'Alibaba Cloud ICE DescribeAIAgentInstance',
		hint: /AccessKey ID is unknown or disabled/,
		status: 404,
		calls: 1,
	},
	{
		name: 'wrong AccessKey secret',
		items: [analyze()],
		keys: { ...RAM, accessKeySecret: 'wrong-secret-value' },
		code: /SignatureDoesNotMatch/,
		message: /The request signature does not conform to Aliyun standards/,
		operation: 'Alibaba Cloud ContactCenterAI AnalyzeConversation',
		hint: /AccessKey secret does not belong to this AccessKey ID/,
		status: 400,
		calls: 1,
	},
	{
		name: 'STS token of another key',
		items: [dialogDetail(FIXTURES.dianjin.completedSessionId)],
		keys: { ...STS, securityToken: EMULATOR_KEYS.expiredSts.securityToken },
		code: /InvalidSecurityToken\.MismatchWithAccessKey/,
		message: /Specified SecurityToken mismatch with the AccessKey\./,
		operation: 'Alibaba Cloud DianJin GetDialogDetail',
		hint: /STS security token is wrong or has expired/,
		status: 400,
		calls: 1,
	},
	{
		name: 'expired STS token',
		items: [callerIdentity],
		keys: EMULATOR_KEYS.expiredSts,
		code: /InvalidSecurityToken\.Expired/,
		message: /Specified SecurityToken is expired\./,
		operation: 'Alibaba Cloud STS GetCallerIdentity',
		hint: /STS security token is wrong or has expired/,
		status: 400,
		calls: 1,
	},
	{
		name: 'RAM policy denies the action (Forbidden.RAM)',
		items: [describeInstance()],
		fault: { kind: 'forbidden' },
		code: /Forbidden\.RAM/,
		message: /User not authorized to operate on the specified resource/,
		operation: 'Alibaba Cloud ICE DescribeAIAgentInstance',
		hint: permissionHint,
		status: 403,
		calls: 1,
	},
	{
		name: 'CCAI workspace not authorized (CCAI.TenantPermission.NoAuth)',
		items: [analyze('llm-not-mine')],
		code: /CCAI\.TenantPermission\.NoAuth/,
		message: /does not have the permission to specify the business space/,
		operation: 'Alibaba Cloud ContactCenterAI AnalyzeConversation',
		hint: workspaceHint,
		status: 403,
		calls: 1,
	},
	{
		name: 'unknown instance (Forbidden.ResourceNotFound is not a permission problem)',
		items: [describeInstance(FIXTURES.ice.unknownInstanceId)],
		code: /Forbidden\.ResourceNotFound/,
		message: new RegExp(`instance ${FIXTURES.ice.unknownInstanceId} does not exist`),
		operation: 'Alibaba Cloud ICE DescribeAIAgentInstance',
		status: 404,
		calls: 1,
	},
	{
		name: 'Throttling.User that never clears',
		items: [describeInstance()],
		fault: { kind: 'throttle', times: Infinity },
		code: /Throttling\.User/,
		message: /Request was denied due to user flow control\. \(after 4 attempts\)/,
		operation: 'Alibaba Cloud ICE DescribeAIAgentInstance',
		hint: throttleHint,
		status: 400,
		calls: FAST_RETRY.maxRetries + 1,
	},
	{
		name: 'CCAI.Throttling.Qps that never clears',
		items: [analyze()],
		fault: { kind: 'ccaiThrottle', times: Infinity },
		code: /CCAI\.Throttling\.Qps/,
		message: /Trigger current QPS limit.*\(after 4 attempts\)/,
		operation: 'Alibaba Cloud ContactCenterAI AnalyzeConversation',
		hint: throttleHint,
		status: 400,
		calls: FAST_RETRY.maxRetries + 1,
	},
];

describe('failures become a NodeApiError that names the call, the Alibaba code and message', () => {
	it.each(ERROR_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
		if (c.fault) emu.addFault(c.fault);
		const keys = c.keys ?? RAM;
		const run = await probe(c.items, { keys });
		const error = run.error('Node')!;
		expect(error).toBeDefined();
		expect(error.name).toBe('NodeApiError');
		expect(error.message.startsWith(`${c.operation} failed: `)).toBe(true);
		expect(error.message).toMatch(c.code);
		expect(error.message).toMatch(c.message);
		if (c.hint) expect(error.description).toMatch(c.hint);
		else expect(error.description ?? '').not.toMatch(permissionHint);
		expect(error.description).toMatch(/Alibaba Cloud RequestId: [0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}/);
		expect(error.description).toContain(`HTTP status ${c.status}`);
		expect((error as unknown as { httpCode: string }).httpCode).toBe(String(c.status));
		expect(error.context?.itemIndex).toBe(0);
		// Transient codes are retried up to the limit, everything else is sent exactly once.
		expect(emu.requests).toHaveLength(c.calls);
		const serialized = JSON.stringify(run.run);
		expect(serialized).not.toContain(keys.accessKeySecret);
		if (keys.securityToken) expect(serialized).not.toContain(keys.securityToken);
	});
});

describe('retries', () => {
	// AnalyzeConversation is billed: only refusals (throttling, 429) are sent again. Reads retry everything transient.
	it.each<[string, Fault, 'AnalyzeConversation' | 'DescribeAIAgentInstance']>([
		['Throttling.User (HTTP 400)', { kind: 'throttle', times: 2 }, 'AnalyzeConversation'],
		['HTTP 429', { kind: 'throttle', status: 429, times: 2 }, 'AnalyzeConversation'],
		['CCAI.Throttling.Qps', { kind: 'ccaiThrottle', times: 2 }, 'AnalyzeConversation'],
		['503 ServiceUnavailable', { kind: 'serverError', times: 2 }, 'DescribeAIAgentInstance'],
		['500 InternalError', { kind: 'serverError', status: 500, times: 2 }, 'DescribeAIAgentInstance'],
		['a dropped connection', { kind: 'drop', times: 2 }, 'DescribeAIAgentInstance'],
	])('retries %s with backoff, re-signing each attempt, then succeeds', async (_name, fault, action) => {
		emu.addFault({ ...fault, match: { action } });
		const retry = { maxRetries: 3, baseDelayMs: 40, maxDelayMs: 80 };
		const run = await probe([action === 'AnalyzeConversation' ? analyze() : describeInstance()], { retry });
		expect(run.error('Node')).toBeUndefined();
		expect(run.items[0].json.result).toBeDefined();
		expect(emu.countCalls(action)).toBe(3);
		expect(emu.requests.map((r) => r.status)).toEqual([fault.kind === 'drop' ? 0 : (fault.status ?? (fault.kind === 'serverError' ? 503 : 400)), expect.any(Number), 200]);
		// A fresh nonce per attempt: the gateway rejects a re-sent one (SignatureNonceUsed).
		expect(new Set(emu.requests.map((r) => r.headers['x-acs-signature-nonce'])).size).toBe(3);
		// Backoff waits at least half of the attempt's ceiling (base·2^attempt): 20 ms, then 40 ms.
		const gaps = emu.requests.slice(1).map((r, i) => r.at - emu.requests[i].at);
		expect(gaps[0]).toBeGreaterThanOrEqual(18);
		expect(gaps[1]).toBeGreaterThanOrEqual(38);
	});

	it('retries a request that timed out', async () => {
		emu.addFault({ kind: 'latency', latencyMs: 1000, match: { action: 'GetCallerIdentity' } });
		const run = await runNode(
			PROBE_NODE_TYPE,
			{ concurrency: 1, retry: JSON.stringify(FAST_RETRY), timeoutMs: 50 },
			{ input: [callerIdentity] as unknown as IDataObject[], credentials: emulatorCredentials(emu.url, RAM) },
		);
		expect(run.error('Node')).toBeUndefined();
		expect(run.items[0].json.result).toMatchObject({ IdentityType: 'RAMUser' });
		expect(emu.countCalls('GetCallerIdentity')).toBe(2);
	});

	it('gives up after maxRetries+1 attempts with a message that says so', async () => {
		emu.addFault({ kind: 'serverError', times: Infinity });
		const run = await probe([describeInstance()], { retry: { maxRetries: 2, baseDelayMs: 2, maxDelayMs: 4 } });
		expect(run.error('Node')!.message).toBe(
			'Alibaba Cloud ICE DescribeAIAgentInstance failed: ServiceUnavailable: The request has failed due to a temporary failure of the server. (after 3 attempts)',
		);
		expect(emu.requests).toHaveLength(3);
	});

	it('gives up on a connection that keeps dropping with a network error message', async () => {
		emu.addFault({ kind: 'drop', times: Infinity });
		const run = await probe([callerIdentity], { retry: { maxRetries: 1, baseDelayMs: 2, maxDelayMs: 4 } });
		expect(run.error('Node')!.message).toMatch(/^Alibaba Cloud STS GetCallerIdentity failed: ECONNRESET: .*\(after 2 attempts\)$/);
		expect(emu.requests).toHaveLength(2);
	});

	it('does not retry a non-transient error even with retries left', async () => {
		const run = await probe([describeInstance(FIXTURES.ice.unknownInstanceId)], { retry: { maxRetries: 5, baseDelayMs: 1, maxDelayMs: 2 } });
		expect(run.error('Node')!.message).not.toMatch(/attempts/);
		expect(emu.requests).toHaveLength(1);
	});
});

describe('secrets never reach errors or outputs', () => {
	const expectClean = (text: string, keys: Keys) => {
		expect(text).not.toContain(keys.accessKeySecret);
		if (keys.securityToken) expect(text).not.toContain(keys.securityToken);
	};

	it.each([
		['RAM', RAM],
		['STS', STS],
	])('redacts what a server echoes back, in a thrown error (%s keys)', async (_label, keys) => {
		emu.addFault({ kind: 'echoSecrets' });
		const run = await probe([describeInstance()], { keys });
		// The emulator really did send the secrets back.
		expect(emu.requests[0].status).toBe(400);
		const error = run.error('Node')!;
		expect(error.message).toMatch(/InvalidParameter: The request is not valid\. AccessKeySecret=\*\*\*/);
		if (keys.securityToken) expect(error.message).toMatch(/SecurityToken=\*\*\*/);
		expectClean(JSON.stringify(error), keys);
		expectClean(JSON.stringify(run.run), keys);
	});

	it('redacts them in continue-on-fail error items too', async () => {
		emu.addFault({ kind: 'echoSecrets', times: 2 });
		const run = await probe([describeInstance(), callerIdentity, describeInstance()], { keys: STS, continueOnFail: true, concurrency: 1 });
		expect(run.items.map((item) => typeof item.json.error)).toEqual(['string', 'string', 'undefined']);
		expect(run.items[0].json.error).toContain('***');
		expectClean(JSON.stringify(run.items), STS);
		expectClean(JSON.stringify(run.run), STS);
	});

	it('keeps them out of signature, token and network errors', async () => {
		const cases: Array<[Keys, Fault | undefined]> = [
			[{ ...STS, accessKeySecret: 'Wrong' + STS.accessKeySecret }, undefined],
			[{ ...STS, securityToken: 'Bad' + STS.securityToken }, undefined],
			[STS, { kind: 'drop', times: Infinity }],
		];
		for (const [keys, fault] of cases) {
			emu.reset();
			if (fault) emu.addFault(fault);
			const run = await probe([callerIdentity], { keys, retry: { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 2 } });
			expect(run.error('Node')).toBeDefined();
			expectClean(JSON.stringify(run.run), keys);
		}
	});
});
