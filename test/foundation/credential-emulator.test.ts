import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IHttpRequestOptions,
	type INodeType,
	type INodeTypes,
} from 'n8n-workflow';

import { AlibabaCloudAccessKeyApi } from '../../credentials/AlibabaCloudAccessKeyApi.credentials';
import { encodePath } from '../../credentials/common/acs3Signature';
import { EMULATOR_KEYS, type Emulator, FIXTURES, startEmulator } from '../emulator';
import { send, type RawResponse } from '../emulator/signed-client';
import { emulatorCredentials } from '../helpers/credentials';
import { runNode } from '../helpers/engine';
import { PROBE_NODE_TYPE, type ProbeItem } from './probe/alibabaProbe';

/**
 * The credential's `authenticate` output is sent exactly as returned (url/uri, method, headers,
 * body) and the emulator, which verifies real ACS3 signatures, must accept it.
 */

let emu: Emulator;
beforeAll(async () => {
	emu = await startEmulator({ port: 0 });
});
afterAll(async () => emu.close());
beforeEach(() => emu.reset());

const credentialType = new AlibabaCloudAccessKeyApi();
type Authenticate = (credentials: ICredentialDataDecryptedObject, options: IHttpRequestOptions) => Promise<IHttpRequestOptions>;
const authenticate = credentialType.authenticate as Authenticate;
/** What `authenticate` returns, with the request library's keys (`uri`, `form`) it may carry. */
type SignedOptions = IHttpRequestOptions & IDataObject;

type Keys = { accessKeyId: string; accessKeySecret: string; securityToken?: string };
const RAM: Keys = EMULATOR_KEYS;
const STS: Keys = EMULATOR_KEYS.sts;

const creds = (keys: Keys): ICredentialDataDecryptedObject => emulatorCredentials(emu.url, keys).alibabaCloudAccessKeyApi;

/** Signs with the credential and sends the returned options byte for byte; `options` may be request-library style. */
async function signAndSend(keys: Keys, options: object): Promise<{ signed: SignedOptions; res: RawResponse }> {
	const signed = (await authenticate(creds(keys), options as IHttpRequestOptions)) as SignedOptions;
	const url = (signed.url ?? signed.uri) as string;
	const headers = Object.fromEntries(Object.entries(signed.headers ?? {}).map(([k, v]) => [k, String(v)]));
	const body = signed.body === undefined ? '' : (signed.body as string);
	expect(typeof body).toBe('string');
	const res = await send({ url, method: signed.method ?? 'GET', headers, body });
	return { signed, res };
}

const ccaiPath = encodePath([FIXTURES.ccai.workspaceId, 'ccai', 'app', FIXTURES.ccai.appId, 'analyze_conversation']);
const dianjinDetailPath = encodePath([FIXTURES.dianjin.workspaceId, 'api', 'virtualHuman', 'dialog', 'detail']);
const unicodeDialogue = {
	stream: false,
	resultTypes: ['summary', 'keywords'],
	dialogue: {
		sentences: [
			{ role: 'user', text: '你好 😀，我想查订单 #12 & 退款 (50%) «quote» \\ "x"' },
			{ role: 'agent', text: 'Bonjour, ça va? 👩‍👩‍👧 +~*!\'()' },
		],
	},
};

const calls = {
	iceRpc: (): IHttpRequestOptions => ({
		method: 'POST',
		url: `${emu.url}/`,
		qs: { InstanceId: FIXTURES.ice.seedInstanceId },
		headers: { 'x-acs-action': 'DescribeAIAgentInstance', 'x-acs-version': FIXTURES.ice.version },
		json: true,
	}),
	ccaiRoa: (): IHttpRequestOptions => ({
		method: 'POST',
		url: `${emu.url}${ccaiPath}`,
		body: unicodeDialogue,
		headers: { 'x-acs-action': 'AnalyzeConversation', 'x-acs-version': FIXTURES.ccai.version },
		json: true,
	}),
	dianjinGet: (): IHttpRequestOptions => ({
		method: 'GET',
		url: `${emu.url}${dianjinDetailPath}`,
		qs: { sessionId: FIXTURES.dianjin.completedSessionId },
		headers: { 'x-acs-action': 'GetDialogDetail', 'x-acs-version': FIXTURES.dianjin.version },
		json: true,
	}),
	sts: (): IHttpRequestOptions => ({
		method: 'POST',
		url: `${emu.url}/`,
		headers: { 'x-acs-action': 'GetCallerIdentity', 'x-acs-version': FIXTURES.sts.version },
		json: true,
	}),
};

describe.each([
	['RAM user AccessKey', RAM],
	['STS temporary credentials', STS],
])('the emulator accepts authenticate() output signed with a %s', (_label, keys) => {
	it('ICE DescribeAIAgentInstance (RPC: parameters in the query, empty body)', async () => {
		const { res, signed } = await signAndSend(keys, calls.iceRpc());
		expect(res.status).toBe(200);
		expect(res.json.Instance.SessionId).toEqual(expect.any(String));
		expect(signed.body).toBeUndefined();
		expect(emu.requests[0].query).toEqual({ InstanceId: FIXTURES.ice.seedInstanceId });
		expect(emu.requests[0].headers['x-acs-security-token']).toBe(keys.securityToken);
	});

	it('CCAI AnalyzeConversation (ROA: JSON body with unicode)', async () => {
		const { res } = await signAndSend(keys, calls.ccaiRoa());
		expect(res.status).toBe(200);
		expect(res.json).toMatchObject({ success: true, finishReason: 'stop' });
		expect(emu.requests[0].json).toEqual(unicodeDialogue);
		expect(emu.requests[0].headers['content-type']).toBe('application/json; charset=utf-8');
	});

	it('DianJin GetDialogDetail (ROA GET with a query)', async () => {
		const { res } = await signAndSend(keys, calls.dianjinGet());
		expect(res.status).toBe(200);
		expect(res.json).toMatchObject({ success: true, data: { status: 'COMPLETED' } });
	});

	it('STS GetCallerIdentity', async () => {
		const { res } = await signAndSend(keys, calls.sts());
		expect(res.status).toBe(200);
		expect(res.json.IdentityType).toBe(keys.securityToken ? 'AssumedRoleUser' : 'RAMUser');
	});
});

describe('the emulator rejects bad signatures', () => {
	it('answers a wrong secret with 400 SignatureDoesNotMatch', async () => {
		for (const call of [calls.iceRpc(), calls.ccaiRoa(), calls.dianjinGet(), calls.sts()]) {
			const { res } = await signAndSend({ ...RAM, accessKeySecret: 'not-the-secret' }, call);
			expect([res.status, res.json.Code]).toEqual([400, 'SignatureDoesNotMatch']);
		}
	});

	it('answers an unknown AccessKey ID with 404 InvalidAccessKeyId.NotFound', async () => {
		const { res } = await signAndSend({ accessKeyId: 'LTAI5tNoSuchKey', accessKeySecret: 'whatever' }, calls.sts());
		expect([res.status, res.json.Code]).toEqual([404, 'InvalidAccessKeyId.NotFound']);
	});

	it('answers a replayed request (same nonce) with SignatureNonceUsed, so each send must be signed afresh', async () => {
		const signed = await authenticate(creds(RAM), calls.sts());
		const prepared = {
			url: signed.url,
			method: 'POST',
			headers: Object.fromEntries(Object.entries(signed.headers ?? {}).map(([k, v]) => [k, String(v)])),
			body: '',
		};
		expect((await send(prepared)).status).toBe(200);
		expect((await send(prepared)).json.Code).toBe('SignatureNonceUsed');
		// Re-signing the options n8n kept (as a retry does) gives a fresh nonce that is accepted.
		const again = await authenticate(creds(RAM), signed);
		expect((again.headers as IDataObject)['x-acs-signature-nonce']).not.toBe(prepared.headers['x-acs-signature-nonce']);
		expect((await send({ ...prepared, headers: Object.fromEntries(Object.entries(again.headers ?? {}).map(([k, v]) => [k, String(v)])) })).status).toBe(200);
	});
});

describe('HTTP Request node style (request-library) options', () => {
	it('signs `uri` + `qs` and keeps `uri` as the key the legacy helper reads', async () => {
		const { res, signed } = await signAndSend(RAM, {
			method: 'GET',
			uri: `${emu.url}${dianjinDetailPath}`,
			qs: { sessionId: FIXTURES.dianjin.completedSessionId },
			headers: { 'x-acs-action': 'GetDialogDetail', 'x-acs-version': FIXTURES.dianjin.version },
			json: true,
		});
		expect(res.status).toBe(200);
		expect(res.json.data.status).toBe('COMPLETED');
		expect(signed.url).toBeUndefined();
		expect(signed.uri).toBe(`${emu.url}${dianjinDetailPath}?sessionId=${FIXTURES.dianjin.completedSessionId}`);
	});

	it('signs a `body` object with `json: true`', async () => {
		const { res } = await signAndSend(RAM, {
			method: 'POST',
			uri: `${emu.url}${ccaiPath}`,
			body: unicodeDialogue,
			headers: { 'x-acs-action': 'AnalyzeConversation', 'x-acs-version': FIXTURES.ccai.version },
			json: true,
		});
		expect(res.status).toBe(200);
		expect(emu.requests[0].json).toEqual(unicodeDialogue);
	});

	it('signs a `form` body as application/x-www-form-urlencoded', async () => {
		const form = { Note: 'a b&c=d/é 😀', Other: "*~!'()" };
		const { res, signed } = await signAndSend(RAM, {
			method: 'POST',
			uri: `${emu.url}/`,
			form,
			headers: { 'x-acs-action': 'GetCallerIdentity', 'x-acs-version': FIXTURES.sts.version },
		});
		expect(res.status).toBe(200);
		expect(signed.form).toBeUndefined();
		expect(emu.requests[0].headers['content-type']).toBe('application/x-www-form-urlencoded');
		expect(Object.fromEntries(new URLSearchParams(emu.requests[0].body))).toEqual(form);
	});

	it('refuses multipart form data, which cannot be signed, with a message saying what to send instead', async () => {
		await expect(
			authenticate(creds(RAM), { ...calls.sts(), formData: { a: 'b' } } as IHttpRequestOptions),
		).rejects.toThrow(/multipart form data cannot be signed.*JSON or URL-encoded body/);
	});

	it('passes through n8n-core\'s real legacy request helper (what the HTTP Request node calls) for uri+qs, body+json and form', async () => {
		const items: ProbeItem[] = [
			{
				op: 'legacyRequest',
				options: {
					method: 'GET',
					uri: `${emu.url}${dianjinDetailPath}`,
					qs: { sessionId: FIXTURES.dianjin.completedSessionId },
					headers: { 'x-acs-action': 'GetDialogDetail', 'x-acs-version': FIXTURES.dianjin.version },
					json: true,
				},
			},
			{
				op: 'legacyRequest',
				options: {
					method: 'POST',
					uri: `${emu.url}${ccaiPath}`,
					body: unicodeDialogue,
					headers: { 'x-acs-action': 'AnalyzeConversation', 'x-acs-version': FIXTURES.ccai.version },
					json: true,
				},
			},
			{
				op: 'legacyRequest',
				options: {
					method: 'POST',
					uri: `${emu.url}/`,
					form: { Note: 'a b&c=d 😀' },
					headers: { 'x-acs-action': 'GetCallerIdentity', 'x-acs-version': FIXTURES.sts.version },
					json: true,
				},
			},
		];
		const run = await runNode(PROBE_NODE_TYPE, { concurrency: 1 }, {
			input: items as unknown as IDataObject[],
			credentials: emulatorCredentials(emu.url, RAM),
		});
		expect(run.error('Node')).toBeUndefined();
		const results = run.items.map((item) => item.json.result as IDataObject);
		expect(results[0]).toMatchObject({ success: true, data: { status: 'COMPLETED' } });
		expect(results[1]).toMatchObject({ success: true, finishReason: 'stop' });
		expect(results[2]).toMatchObject({ IdentityType: 'RAMUser' });
		expect(emu.requests.map((r) => r.status)).toEqual([200, 200, 200]);
		expect(emu.requests[1].json).toEqual(unicodeDialogue);
		expect(emu.requests[2].body).toBe(new URLSearchParams({ Note: 'a b&c=d 😀' }).toString());
	});

	it('passes through n8n-core\'s httpRequestWithAuthentication with a raw JSON string body', async () => {
		const text = `  ${JSON.stringify(unicodeDialogue, null, 1)}\n`;
		const run = await runNode(PROBE_NODE_TYPE, { concurrency: 1 }, {
			input: [
				{
					op: 'httpRequest',
					options: {
						method: 'POST',
						url: `${emu.url}${ccaiPath}`,
						body: text,
						headers: {
							'content-type': 'application/json',
							'x-acs-action': 'AnalyzeConversation',
							'x-acs-version': FIXTURES.ccai.version,
						},
						json: true,
					},
				},
			] as unknown as IDataObject[],
			credentials: emulatorCredentials(emu.url, RAM),
		});
		expect(run.error('Node')).toBeUndefined();
		expect(run.items[0].json.result).toMatchObject({ success: true });
		expect(emu.requests[0].json).toEqual(unicodeDialogue);
	});
});

describe('the credential test request', () => {
	/** Resolves the credential's `baseURL` expression with n8n's own expression engine, as its credential test does. */
	function resolveBaseUrl(data: ICredentialDataDecryptedObject): string {
		const nodeType = { description: { properties: [], name: 'noop', version: 1 } } as unknown as INodeType;
		const nodeTypes: INodeTypes = {
			getByName: () => nodeType,
			getByNameAndVersion: () => nodeType,
			getKnownTypes: () => ({}),
		};
		const workflow = new Workflow({
			nodes: [{ id: '1', name: 'Test', type: 'noop', typeVersion: 1, position: [0, 0], parameters: {} }],
			connections: {},
			active: false,
			nodeTypes,
		});
		return workflow.expression.getParameterValue(
			credentialType.test.request.baseURL as string,
			null,
			0,
			0,
			'Test',
			[],
			'internal',
			{ $credentials: data },
		) as string;
	}

	it('targets the public STS endpoint unless custom endpoints are on and an STS endpoint is set', () => {
		const data = creds(RAM);
		expect(resolveBaseUrl({ ...data, customEndpoints: false })).toBe('https://sts.aliyuncs.com');
		expect(resolveBaseUrl({ ...data, customEndpoints: true, stsEndpoint: '' })).toBe('https://sts.aliyuncs.com');
		expect(resolveBaseUrl({ ...data, customEndpoints: true, stsEndpoint: `${emu.url}//` })).toBe(emu.url);
		expect(resolveBaseUrl({ ...data, customEndpoints: true, stsEndpoint: ' sts-vpc.cn-shanghai.aliyuncs.com ' })).toBe(
			'https://sts-vpc.cn-shanghai.aliyuncs.com',
		);
	});

	it.each([
		['RAM', RAM, 'RAMUser'],
		['STS', STS, 'AssumedRoleUser'],
	])('is accepted by the emulator\'s STS when signed (%s keys)', async (_label, keys, identity) => {
		const data = creds(keys);
		// n8n's credential tester sends the test request with empty `qs`/`body` objects merged in.
		const options = { ...credentialType.test.request, baseURL: resolveBaseUrl(data), qs: {}, body: {} } as IHttpRequestOptions;
		const { res } = await signAndSend(keys, options);
		expect(res.status).toBe(200);
		expect(res.json.IdentityType).toBe(identity);
		expect(emu.requests[0].action).toBe('GetCallerIdentity');
	});
});
