import { createHash, randomUUID } from 'node:crypto';
import { get as httpGet, request as httpRequest } from 'node:http';

import OpenApiUtil from '@alicloud/openapi-util';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import fc from 'fast-check';

import { EMULATOR_KEYS, type Emulator, type Fault, FIXTURES, startEmulator } from './emulator';
import { buildCanonicalRequest, hmacSignature, sdkSignature } from './emulator/signature';
import { callSigned, prepareSignedRequest, type RawResponse, send, type SignedCall } from './emulator/signed-client';

let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator();
});

afterAll(async () => {
	await emu.close();
});

beforeEach(() => emu.reset());

// ---------------------------------------------------------------------------------------------
// Helpers

type CallOverrides = Partial<SignedCall>;

const ice = (action: string, query: Record<string, string>, extra: CallOverrides = {}) =>
	callSigned({ baseUrl: emu.url, action, version: FIXTURES.ice.version, query, ...extra });

const sts = (extra: CallOverrides = {}) =>
	callSigned({ baseUrl: emu.url, action: 'GetCallerIdentity', version: FIXTURES.sts.version, ...extra });

const ccaiPath = `/${FIXTURES.ccai.workspaceId}/ccai/app/${FIXTURES.ccai.appId}/analyze_conversation`;
const sentences = [
	{ role: 'agent', text: '您好，请问有什么可以帮您？' },
	{ role: 'user', text: '我的手机号是13800138000，想查询订单物流' },
	{ role: 'agent', text: '已为您查到，明天送达。' },
];
const ccaiBody = (extra: Record<string, unknown> = {}) => ({
	stream: false,
	resultTypes: ['summary'],
	dialogue: { sentences },
	...extra,
});
const ccaiCall = (body: unknown, extra: CallOverrides = {}) =>
	callSigned({
		baseUrl: emu.url,
		action: 'AnalyzeConversation',
		version: FIXTURES.ccai.version,
		pathname: ccaiPath,
		body: typeof body === 'string' ? body : (body as Record<string, unknown>),
		...extra,
	});

const dianjinDetail = (sessionId: string, workspaceId: string = FIXTURES.dianjin.workspaceId) =>
	callSigned({
		baseUrl: emu.url,
		action: 'GetDialogDetail',
		version: FIXTURES.dianjin.version,
		method: 'GET',
		pathname: `/${encodeURIComponent(workspaceId)}/api/virtualHuman/dialog/detail`,
		query: { sessionId },
	});

const dianjinAnalysis = (body: Record<string, unknown>) =>
	callSigned({
		baseUrl: emu.url,
		action: 'GetDialogAnalysisResult',
		version: FIXTURES.dianjin.version,
		pathname: `/${FIXTURES.dianjin.workspaceId}/api/virtualHuman/dialog/analysis`,
		body,
	});

interface StreamResult {
	status: number;
	contentType: string;
	raw: string;
	chunks: number;
	events: EventSourceMessage[];
	comments: string[];
}

/** Reads a whole streamed response and parses it as SSE, the way a careful client would. */
function readStream(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
	return new Promise<StreamResult>((resolve, reject) => {
		const req = httpRequest(url, { method: init.method ?? 'POST', headers: init.headers }, (res) => {
			const events: EventSourceMessage[] = [];
			const comments: string[] = [];
			const parser = createParser({ onEvent: (e) => events.push(e), onComment: (c) => comments.push(c) });
			const decoder = new TextDecoder();
			let raw = '';
			let chunks = 0;
			res.on('data', (chunk: Buffer) => {
				chunks += 1;
				const text = decoder.decode(chunk, { stream: true });
				raw += text;
				parser.feed(text);
			});
			res.on('end', () =>
				resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type']), raw, chunks, events, comments }),
			);
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end(init.body);
	});
}

async function streamUrl(agentKey?: string): Promise<{ url: string; accessToken: string; channelId: string; secret: string }> {
	const res = await callSigned({
		baseUrl: emu.url,
		action: 'ApplyForStreamAccessToken',
		version: FIXTURES.chatbot.version,
		query: agentKey ? { AgentKey: agentKey } : {},
	});
	expect(res.status).toBe(200);
	const { AccessToken, ChannelId, StreamSecret } = res.json;
	const ts = String(Date.now());
	const sign = createHash('md5').update(`streamSecret=${StreamSecret}&timestamp=${ts}`).digest('hex');
	return {
		url: `${emu.url}/sse/paas4Json/${AccessToken}/${ChannelId}/${sign}/${ts}`,
		accessToken: AccessToken,
		channelId: ChannelId,
		secret: StreamSecret,
	};
}

function chatBody(value: Record<string, unknown>, messageId: string = randomUUID()): string {
	return JSON.stringify({
		messageId,
		action: 'TongyiBeebotChat',
		version: '2022-04-08',
		data: [{ type: 'JSON_TEXT', value: JSON.stringify(value) }],
	});
}

async function chat(url: string, value: Record<string, unknown>, messageId?: string) {
	const result = await readStream(url, {
		headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
		body: chatBody({ InstanceId: FIXTURES.chatbot.instanceId, ...value }, messageId),
	});
	const envelopes = result.events.map((e) => JSON.parse(e.data));
	const values = envelopes.filter((e) => e.success).map((e) => JSON.parse(e.data[0].value));
	const answer = (v: any): string | undefined =>
		v.MessageBody?.DirectMessageBody.SentenceList.map((s: { Content: string }) => s.Content).join('');
	return { ...result, envelopes, values, answers: values.map(answer), final: values[values.length - 1] };
}

function getHead(url: string): Promise<{ status: number; headers: Record<string, unknown> }> {
	return new Promise((resolve, reject) => {
		const req = httpGet(url, (res) => {
			resolve({ status: res.statusCode ?? 0, headers: res.headers });
			res.destroy();
		});
		req.on('error', reject);
	});
}

/** Test assertions walk arbitrary JSON, so the result stays untyped. */
async function getJson(url: string): Promise<any> {
	return (await fetch(url)).json();
}

const seedLogUrl = () => `${emu.url}/calllogs/${FIXTURES.ice.seedInstanceId}.json`;

// ---------------------------------------------------------------------------------------------

describe('signature verification', () => {
	it('matches the official V3 doc example through both the SDK and an independent HMAC', () => {
		const input = {
			method: 'POST',
			rawPath: '/',
			query: { ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd', RegionId: 'cn-shanghai' },
			headers: {
				host: ['ecs.cn-shanghai.aliyuncs.com'],
				'x-acs-action': ['RunInstances'],
				'x-acs-content-sha256': ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
				'x-acs-date': ['2023-10-26T10:22:32Z'],
				'x-acs-signature-nonce': ['3156853299f313e23d1673dc12e1703d'],
				'x-acs-version': ['2014-05-26'],
			},
			signedHeaders: ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version'],
			payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
		};
		const canonical = buildCanonicalRequest(input);
		expect(createHash('sha256').update(canonical.canonicalRequest).digest('hex')).toBe(
			'7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259',
		);
		const expected = '06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0';
		expect(hmacSignature('YourAccessKeySecret', canonical.stringToSign)).toBe(expected);
		expect(sdkSignature(input, 'YourAccessKeyId', 'YourAccessKeySecret')).toBe(expected);
	});

	it('reproduces the reference ROA JSON example (§5.5.4)', () => {
		const body = '{"stream":false,"resultTypes":["summary"],"dialogue":{"sentences":[{"role":"user","text":"hello"}]}}';
		const payloadHash = createHash('sha256').update(body).digest('hex');
		expect(payloadHash).toBe('bd379676cb7a9c2aa35caa08978916770a4891c3fe77ad27a36f10e30c7636ad');
		const input = {
			method: 'POST',
			rawPath: '/llm-ws1/ccai/app/app1/analyze_conversation',
			query: {},
			headers: {
				'content-type': ['application/json; charset=utf-8'],
				host: ['contactcenterai.cn-shanghai.aliyuncs.com'],
				'x-acs-action': ['AnalyzeConversation'],
				'x-acs-content-sha256': [payloadHash],
				'x-acs-date': ['2025-01-01T00:00:00Z'],
				'x-acs-signature-nonce': ['00000000000000000000000000000001'],
				'x-acs-version': ['2024-06-03'],
			},
			signedHeaders: [
				'content-type',
				'host',
				'x-acs-action',
				'x-acs-content-sha256',
				'x-acs-date',
				'x-acs-signature-nonce',
				'x-acs-version',
			],
			payloadHash,
		};
		const expected = 'd28cdf451a4fe06368bedf5ec0a16f3f4fbe61a02f4de806d74a8a47f59ddb1e';
		expect(hmacSignature('testSecret', buildCanonicalRequest(input).stringToSign)).toBe(expected);
		expect(sdkSignature(input, 'testAK', 'testSecret')).toBe(expected);
	});

	it('agrees with @alicloud/openapi-util for arbitrary queries, paths and headers', () => {
		const value = fc.string({ unit: 'grapheme', maxLength: 12 });
		fc.assert(
			fc.property(
				fc.dictionary(fc.stringMatching(/^[A-Za-z][A-Za-z0-9_.]{0,8}$/), value, { maxKeys: 5 }),
				fc.array(fc.stringMatching(/^[A-Za-z0-9._~%-]{1,10}$/), { maxLength: 3 }),
				fc.dictionary(fc.stringMatching(/^x-acs-[a-z]{1,6}$/), fc.string({ maxLength: 10 }), { maxKeys: 3 }),
				fc.constantFrom('GET', 'POST'),
				(query, segments, extraHeaders, method) => {
					const headers: Record<string, string[]> = { host: ['127.0.0.1:9000'] };
					for (const [k, v] of Object.entries(extraHeaders)) headers[k] = [v];
					const input = {
						method,
						rawPath: '/' + segments.join('/'),
						query,
						headers,
						signedHeaders: Object.keys(headers),
						payloadHash: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
					};
					const own = hmacSignature('secret', buildCanonicalRequest(input).stringToSign);
					const sdk = OpenApiUtil.getAuthorization(
						{ pathname: input.rawPath, method, query, headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, v[0]])) } as never,
						'ACS3-HMAC-SHA256',
						input.payloadHash,
						'ak',
						'secret',
					);
					expect(sdk.endsWith(`Signature=${own}`)).toBe(true);
				},
			),
			{ numRuns: 300 },
		);
	});

	it('accepts an SDK-signed RPC call', async () => {
		const res = await ice('DescribeAIAgentInstance', { InstanceId: FIXTURES.ice.seedInstanceId });
		expect(res.status).toBe(200);
		expect(res.json.RequestId).toMatch(/^[0-9A-F-]{36}$/);
		expect(res.json.Instance.Status).toBe('Finished');
		expect(res.headers['x-acs-request-id']).toBe(res.json.RequestId);
	});

	it('accepts an SDK-signed ROA call with a JSON body and one with a query', async () => {
		const analyze = await ccaiCall(ccaiBody());
		expect(analyze.status).toBe(200);
		expect(analyze.json.success).toBe(true);
		const detail = await dianjinDetail(FIXTURES.dianjin.completedSessionId);
		expect(detail.status).toBe(200);
		expect(detail.json.data.status).toBe('COMPLETED');
	});

	it('canonicalizes query values that the SDK sends unencoded (*~!\'())', async () => {
		const res = await ice('DescribeAIAgentInstance', { InstanceId: "abc 123*~!'()", Perspective: '["x"]' });
		expect(res.json.Code).toBe('Forbidden.ResourceNotFound');
		expect(res.status).toBe(404);
	});

	it('decodes percent-encoded ROA path segments', async () => {
		const res = await dianjinDetail(FIXTURES.dianjin.completedSessionId, 'llm emu/ws');
		expect(res.status).toBe(200);
		expect(res.json).toMatchObject({ success: false, errCode: 'WORKSPACE_NOT_EXIST' });
		expect(res.json.message).toContain('llm emu/ws');
	});

	it('rejects a tampered signature with the Alibaba error body', async () => {
		const prepared = prepareSignedRequest({ baseUrl: emu.url, action: 'GetCallerIdentity', version: FIXTURES.sts.version });
		prepared.headers.authorization = prepared.headers.authorization.replace(/Signature=(.)/, (_m, c: string) => `Signature=${c === 'a' ? 'b' : 'a'}`);
		const res = await send(prepared);
		expect(res.status).toBe(400);
		expect(res.json).toMatchObject({ Code: 'SignatureDoesNotMatch', HostId: expect.any(String), RequestId: expect.stringMatching(/^[0-9A-F-]{36}$/) });
		expect(res.json.Message).toMatch(/^The request signature does not conform to Aliyun standards\. server string to sign is:ACS3-HMAC-SHA256\n[0-9a-f]{64}$/);
		expect(res.json.Recommend).toBe('https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch');
		expect(decodeURIComponent(String(res.headers['x-emulator-canonical-request']))).toContain('x-acs-action:GetCallerIdentity');
	});

	it('rejects a wrong secret and a query changed after signing', async () => {
		expect((await sts({ credentials: { accessKeyId: EMULATOR_KEYS.accessKeyId, accessKeySecret: 'nope' } })).json.Code).toBe('SignatureDoesNotMatch');
		const prepared = prepareSignedRequest({
			baseUrl: emu.url,
			action: 'ListAIAgentInstance',
			version: FIXTURES.ice.version,
			query: { AIAgentId: FIXTURES.ice.agentId },
		});
		prepared.url += '&PageSize=5';
		expect((await send(prepared)).json.Code).toBe('SignatureDoesNotMatch');
	});

	it('rejects a body that does not match x-acs-content-sha256', async () => {
		const prepared = prepareSignedRequest({
			baseUrl: emu.url,
			action: 'AnalyzeConversation',
			version: FIXTURES.ccai.version,
			pathname: ccaiPath,
			body: ccaiBody(),
		});
		prepared.body = prepared.body.replace('summary', 'title__');
		const res = await send(prepared);
		expect(res.status).toBe(400);
		expect(res.json.Code).toBe('ContentSHA256NotMatch');
	});

	it('answers an unknown AccessKey with 404 InvalidAccessKeyId.NotFound', async () => {
		const res = await sts({ credentials: { accessKeyId: 'LTAI5tNobodyHasThisKey', accessKeySecret: 'x' } });
		expect(res.status).toBe(404);
		expect(res.json).toMatchObject({ Code: 'InvalidAccessKeyId.NotFound', Message: 'Specified access key is not found.' });
	});

	it('checks STS tokens', async () => {
		const ok = await sts({ credentials: EMULATOR_KEYS.sts });
		expect(ok.status).toBe(200);
		expect(ok.json).toMatchObject({ AccountId: FIXTURES.sts.accountId, IdentityType: 'AssumedRoleUser' });

		const wrong = await sts({ credentials: { ...EMULATOR_KEYS.sts, securityToken: 'CAISnotTheRightToken' } });
		expect(wrong.status).toBe(400);
		expect(wrong.json.Code).toBe('InvalidSecurityToken.MismatchWithAccessKey');

		const missing = await sts({ credentials: { accessKeyId: EMULATOR_KEYS.sts.accessKeyId, accessKeySecret: EMULATOR_KEYS.sts.accessKeySecret } });
		expect(missing.json.Code).toBe('MissingSecurityToken');

		const expired = await sts({ credentials: EMULATOR_KEYS.expiredSts });
		expect(expired.status).toBe(400);
		expect(expired.json.Code).toBe('InvalidSecurityToken.Expired');

		const ram = await sts();
		expect(ram.json.IdentityType).toBe('RAMUser');
	});

	it('rejects a replayed nonce, also after the first call was answered with a fault', async () => {
		const prepared = prepareSignedRequest({ baseUrl: emu.url, action: 'GetCallerIdentity', version: FIXTURES.sts.version });
		expect((await send(prepared)).status).toBe(200);
		const replay = await send(prepared);
		expect(replay.status).toBe(400);
		expect(replay.json).toMatchObject({ Code: 'SignatureNonceUsed', Message: 'Specified signature nonce was used already.' });

		emu.addFault({ kind: 'throttle' });
		const throttled = prepareSignedRequest({ baseUrl: emu.url, action: 'GetCallerIdentity', version: FIXTURES.sts.version });
		expect((await send(throttled)).json.Code).toBe('Throttling.User');
		expect((await send(throttled)).json.Code).toBe('SignatureNonceUsed');
	});

	it('rejects stale or malformed x-acs-date', async () => {
		const stale = await sts({ date: new Date(Date.now() - 16 * 60 * 1000) });
		expect(stale.status).toBe(400);
		expect(stale.json.Code).toBe('InvalidTimeStamp.Expired');
		const future = await sts({ date: new Date(Date.now() + 16 * 60 * 1000) });
		expect(future.json.Code).toBe('InvalidTimeStamp.Expired');
		const garbled = await sts({ extraHeaders: { 'x-acs-date': 'Tue, 20 Dec 2022 08:48:18 GMT' } });
		expect(garbled.json.Code).toBe('InvalidTimeStamp.Format');
	});

	it('requires host and every x-acs-* header to be signed', async () => {
		const prepared = prepareSignedRequest({ baseUrl: emu.url, action: 'GetCallerIdentity', version: FIXTURES.sts.version });
		prepared.headers['x-acs-extra'] = 'added-after-signing';
		const res = await send(prepared);
		expect(res.status).toBe(400);
		expect(res.json.Code).toBe('IncompleteSignature');
		expect(res.json.Message).toContain('x-acs-extra');
	});

	it('answers missing or garbled Authorization', async () => {
		const prepared = prepareSignedRequest({ baseUrl: emu.url, action: 'GetCallerIdentity', version: FIXTURES.sts.version });
		delete prepared.headers.authorization;
		expect((await send(prepared)).json.Code).toBe('MissingAuthorization');
		prepared.headers.authorization = 'acs LTAI5tEmulatorTestKey01:abcdef=';
		const garbled = await send(prepared);
		expect(garbled.status).toBe(400);
		expect(garbled.json.Code).toBe('InvalidAuthorization');
	});

	it('checks action and version', async () => {
		const unknown = await callSigned({ baseUrl: emu.url, action: 'DeleteEverything', version: FIXTURES.ice.version });
		expect(unknown.status).toBe(404);
		expect(unknown.json.Code).toBe('InvalidAction.NotFound');
		const version = await callSigned({ baseUrl: emu.url, action: 'DescribeAIAgentInstance', version: '2022-04-08', query: { InstanceId: 'x' } });
		expect(version.status).toBe(400);
		expect(version.json.Code).toBe('InvalidVersion');
	});
});

describe('ICE', () => {
	it('describes a finished instance whose CallLogUrl serves the seed call log', async () => {
		const res = await ice('DescribeAIAgentInstance', { InstanceId: FIXTURES.ice.seedInstanceId });
		const instance = res.json.Instance;
		expect(instance).toMatchObject({ Status: 'Finished', SessionId: FIXTURES.ice.sessionId, GmtCreate: '2025-08-14T02:21:12.000+00:00' });
		expect(JSON.parse(instance.UserData)).toEqual(expect.any(Object));
		expect(instance.CallLogUrl).toMatch(/\/calllogs\/b9566d0c2f0e4e5c9a7b1f3e8d3c5eb2\.json\?Expires=\d+&OSSAccessKeyId=.+&Signature=.+/);
		const log = await getJson(instance.CallLogUrl);
		expect(log.instanceid).toBe(FIXTURES.ice.seedInstanceId);
		expect(log.dialog).toHaveLength(FIXTURES.ice.seedSentenceCount);
		expect(log.dialog[0]).toEqual({ id: 1, begin: 4.45, role: 'agent', type: 'greeting', text: '哈喽,我是阿里视频云的小云,来聊聊天吧' });
	});

	it('describes an executing instance with an empty CallLogUrl and rejects unknown ids', async () => {
		const executing = await ice('DescribeAIAgentInstance', { InstanceId: FIXTURES.ice.executingInstanceId });
		expect(executing.json.Instance).toMatchObject({ Status: 'Executing', CallLogUrl: '' });
		const unknown = await ice('DescribeAIAgentInstance', { InstanceId: FIXTURES.ice.unknownInstanceId });
		expect(unknown.status).toBe(404);
		expect(unknown.json.Code).toBe('Forbidden.ResourceNotFound');
		const missing = await ice('DescribeAIAgentInstance', {});
		expect(missing.status).toBe(400);
		expect(missing.json.Code).toBe('MissingInstanceId');
	});

	it('pages ListAIAgentInstance until a short page', async () => {
		const sizes: number[] = [];
		const ids = new Set<string>();
		for (let page = 1; page <= 10; page++) {
			const res = await ice('ListAIAgentInstance', { AIAgentId: FIXTURES.ice.agentId, PageNumber: String(page), PageSize: '10' });
			expect(res.status).toBe(200);
			const items = res.json.Instances;
			sizes.push(items.length);
			for (const item of items) {
				expect(item).not.toHaveProperty('InstanceId');
				expect(item).not.toHaveProperty('GmtCreate');
				ids.add(item.CallLogUrl.split('?')[0]);
			}
			if (items.length < 10) break;
		}
		expect(sizes).toEqual([10, 10, 3]);
		expect(ids.size).toBe(23);
	});

	it('validates ListAIAgentInstance parameters and filters by time', async () => {
		expect((await ice('ListAIAgentInstance', {})).json.Code).toBe('MissingAIAgentId');
		const big = await ice('ListAIAgentInstance', { AIAgentId: FIXTURES.ice.agentId, PageSize: '101' });
		expect(big.status).toBe(400);
		expect(big.json.Code).toBe('InvalidParameter');
		const ranged = await ice('ListAIAgentInstance', {
			AIAgentId: FIXTURES.ice.agentId,
			StartTime: '2025-08-14T05:00:00Z',
			EndTime: '2025-08-14T09:00:00Z',
			PageSize: '100',
		});
		expect(ranged.json.Instances).toHaveLength(5);
		const bench = await ice('ListAIAgentInstance', { AIAgentId: FIXTURES.ice.benchAgentId, PageNumber: '2', PageSize: '100' });
		expect(bench.json.Instances).toHaveLength(100);
	});

	it('honours instancesPerAgent', async () => {
		const small = await startEmulator({ instancesPerAgent: 4 });
		try {
			const res = await callSigned({
				baseUrl: small.url,
				action: 'ListAIAgentInstance',
				version: FIXTURES.ice.version,
				query: { AIAgentId: FIXTURES.ice.agentId },
			});
			expect(res.json.Instances).toHaveLength(4);
		} finally {
			await small.close();
		}
	});

	it('pages ListAIAgentDialogues (45 dialogues → 20, 20, 5) newest first by default', async () => {
		const base = { SessionId: FIXTURES.ice.sessionId, StartTime: String(FIXTURES.ice.sessionStartTime), EndTime: String(FIXTURES.ice.sessionEndTime) };
		const pages = [];
		for (let p = 1; p <= 3; p++) pages.push((await ice('ListAIAgentDialogues', { ...base, PageNumber: String(p) })).json.Dialogues);
		expect(pages.map((d) => d.length)).toEqual([20, 20, 5]);
		const all = pages.flat();
		expect(all[0].Time).toBeGreaterThan(all[44].Time);
		expect(all[44]).toMatchObject({ Producer: 'agent', Type: 'greeting', Source: 'call', AttachedFileList: [] });
		const asc = (await ice('ListAIAgentDialogues', { ...base, Order: 'ASC', PageSize: '100' })).json.Dialogues;
		expect(asc[0].Type).toBe('greeting');
		const rounds = (await ice('ListAIAgentDialogues', { ...base, RoundLimit: '2' })).json.Dialogues;
		expect(rounds).toHaveLength(4);
		expect((await ice('ListAIAgentDialogues', { SessionId: FIXTURES.ice.sessionId })).json.Code).toBe('MissingStartTime');
	});

	it('streams a generated call log of N sentences', async () => {
		const res = await fetch(`${emu.url}/calllogs/big-1000.json`);
		expect(Number(res.headers.get('content-length'))).toBeGreaterThan(10000);
		const log: any = await res.json();
		expect(log.dialog).toHaveLength(1000);
		expect(log.dialog[999].id).toBe(1000);
	});

	it('serves the broken call-log fixtures', async () => {
		const urlFor = async (id: string) => (await ice('DescribeAIAgentInstance', { InstanceId: id })).json.Instance.CallLogUrl as string;
		const malformed = await fetch(await urlFor(FIXTURES.ice.malformedLogInstanceId));
		expect(malformed.status).toBe(200);
		await expect(malformed.json()).rejects.toThrow();
		const expired = await fetch(await urlFor(FIXTURES.ice.expiredLogInstanceId));
		expect(expired.status).toBe(403);
		expect(await expired.text()).toContain('<Code>AccessDenied</Code>');
		const missing = await fetch(await urlFor(FIXTURES.ice.missingLogInstanceId));
		expect(missing.status).toBe(404);
		expect(await missing.text()).toContain('<Code>NoSuchKey</Code>');
		const huge = await getHead(await urlFor(FIXTURES.ice.hugeLogInstanceId));
		expect(Number(huge.headers['content-length'])).toBeGreaterThan(FIXTURES.ice.hugeLogBytes);
		const past = await fetch(`${seedLogUrl()}?Expires=1000&OSSAccessKeyId=x&Signature=y`);
		expect(past.status).toBe(403);
	});
});

describe('Chatbot', () => {
	it('computes the documented MD5 sign vector', () => {
		const sign = createHash('md5').update('streamSecret=cc9e88c0-4f41-4f1d-a1a9-91a72d2aa27d&timestamp=1700000000000').digest('hex');
		expect(sign).toBe('a92d5b11616b3b6015e4ffe537a58301');
	});

	it('replays the seed transcript for the seed utterance, split awkwardly across chunks', async () => {
		const { url } = await streamUrl(FIXTURES.chatbot.agentKey);
		const messageId = randomUUID();
		const res = await chat(url, { Utterance: FIXTURES.chatbot.seedUtterance }, messageId);
		expect(res.status).toBe(200);
		expect(res.contentType).toContain('text/event-stream');
		expect(res.chunks).toBeGreaterThan(res.events.length);
		expect(res.raw).toContain('\r\n');
		expect(res.comments).toContain('keep-alive');
		expect(res.events).toHaveLength(12);
		expect(res.envelopes.every((e) => e.messageId === messageId && e.success === true)).toBe(true);
		expect(res.values[0].MessageBody).toBeUndefined();
		expect(res.envelopes[0].requestId).toBe(res.values[0].MessageId);
		expect(res.final.StreamEnd).toBe(true);
		expect(res.answers[res.answers.length - 1]).toBe(FIXTURES.chatbot.seedAnswer);
		expect(res.values.slice(0, -1).every((v) => v.StreamEnd === false)).toBe(true);
		expect(new Set(res.values.map((v) => v.SessionId)).size).toBe(1);
	});

	it('keeps a sent SessionId and counts turns', async () => {
		const { url } = await streamUrl();
		const first = await chat(url, { Utterance: '帮我查一下订单' });
		const sessionId = first.final.SessionId;
		expect(first.answers[first.answers.length - 1]).toContain('第1轮');
		// Cumulative: every answer extends the previous one.
		const texts = first.answers.filter((a): a is string => a !== undefined);
		texts.slice(1).forEach((t, i) => expect(t.startsWith(texts[i])).toBe(true));
		const second = await chat(url, { Utterance: '还有别的吗', SessionId: sessionId });
		expect(second.final.SessionId).toBe(sessionId);
		expect(second.answers[second.answers.length - 1]).toContain('第2轮');
		expect(second.answers[second.answers.length - 1]).toContain('帮我查一下订单');
	});

	it('adds Commands.sysToAgent when the user asks for a human', async () => {
		const { url } = await streamUrl();
		const res = await chat(url, { Utterance: '我要转人工' });
		expect(res.final.Commands).toEqual({ sysToAgent: '{"skillGroup":"12"}' });
	});

	it('answers input errors with a success:false event', async () => {
		const { url } = await streamUrl();
		const long = await chat(url, { Utterance: '长'.repeat(129) });
		expect(long.envelopes).toHaveLength(1);
		expect(long.envelopes[0]).toMatchObject({ success: false, code: 'InvalidParameter' });
		const unknown = await chat(url, { Utterance: 'hi', InstanceId: 'chatbot-cn-nobody' });
		expect(unknown.envelopes[0]).toMatchObject({ success: false, code: 'InstanceNotFound' });
	});

	it('returns an HTML page for a bad sign, channel, token or timestamp', async () => {
		const good = await streamUrl();
		const body = chatBody({ InstanceId: FIXTURES.chatbot.instanceId, Utterance: 'hi' });
		const parts = good.url.split('/');
		const variants = {
			sign: [...parts.slice(0, -2), 'a92d5b11616b3b6015e4ffe537a58301', parts[parts.length - 1]].join('/'),
			channel: good.url.replace(good.channelId, randomUUID()),
			token: good.url.replace(good.accessToken, 'f'.repeat(32)),
			timestamp: (() => {
				const ts = String(Date.now() - 20 * 60 * 1000);
				const sign = createHash('md5').update(`streamSecret=${good.secret}&timestamp=${ts}`).digest('hex');
				return `${emu.url}/sse/paas4Json/${good.accessToken}/${good.channelId}/${sign}/${ts}`;
			})(),
		};
		for (const url of Object.values(variants)) {
			const res = await readStream(url, { body });
			expect(res.status).toBe(200);
			expect(res.contentType).toContain('text/html');
			expect(res.events).toHaveLength(0);
		}
		expect((await readStream(good.url, { body })).contentType).toContain('text/event-stream');
	});

	it('invalidates every token with expireStreamTokens()', async () => {
		const { url } = await streamUrl();
		emu.expireStreamTokens();
		const res = await readStream(url, { body: chatBody({ InstanceId: FIXTURES.chatbot.instanceId, Utterance: 'hi' }) });
		expect(res.contentType).toContain('text/html');
	});
});

describe('ContactCenterAI', () => {
	it('answers non-stream calls deterministically with token counts as strings', async () => {
		const res = await ccaiCall(ccaiBody({ modelCode: 'tyxmPlus', sceneName: '物流场景' }));
		expect(res.json).toMatchObject({ success: true, errorCode: 'success', finishReason: 'stop' });
		expect(res.json.text).toContain('共3句');
		expect(res.json.text).toContain('model=tyxmPlus');
		expect(res.json.text).toContain('scene=物流场景');
		expect(typeof res.json.inputTokens).toBe('string');
		expect(Number(res.json.totalTokens)).toBe(Number(res.json.inputTokens) + Number(res.json.outputTokens));
		const recorded = emu.requests.find((r) => r.action === 'AnalyzeConversation');
		expect(recorded?.json).toMatchObject({ modelCode: 'tyxmPlus', sceneName: '物流场景' });
	});

	it('returns fields, inspection and multi-type results as JSON text', async () => {
		const fields = await ccaiCall(
			ccaiBody({
				resultTypes: ['fields'],
				fields: [
					{ name: '手机号', desc: '客户手机号' },
					{ name: '来电原因', desc: '原因', enumValues: [{ enumValue: '咨询', desc: 'a' }, { enumValue: '投诉', desc: 'b' }] },
				],
			}),
		);
		const parsed = JSON.parse(fields.json.text);
		expect(parsed['手机号']).toBe('13800138000');
		expect(['咨询', '投诉']).toContain(parsed['来电原因']);
		const multi = await ccaiCall(
			ccaiBody({
				resultTypes: ['summary', 'service_inspection', 'keywords'],
				serviceInspection: {
					sceneIntroduction: 's',
					inspectionIntroduction: 'i',
					inspectionContents: [{ title: '客服是否过度承诺', content: 'c' }],
				},
			}),
		);
		const result = JSON.parse(multi.json.text);
		expect(Object.keys(result)).toEqual(['summary', 'service_inspection', 'keywords']);
		expect(result.service_inspection[0].title).toBe('客服是否过度承诺');
		expect(Array.isArray(result.keywords)).toBe(true);
	});

	it('validates the body with CCAI error codes', async () => {
		const noStream = await ccaiCall({ resultTypes: ['summary'], dialogue: { sentences } });
		expect(noStream.status).toBe(403);
		expect(noStream.json).toMatchObject({ success: false, errorCode: 'CCAI.ParamNotfound.MissParam', Code: 'CCAI.ParamNotfound.MissParam' });
		expect((await ccaiCall(ccaiBody({ resultTypes: [] }))).json.Code).toBe('CCAI.ParamNotfound.MissParam');
		expect((await ccaiCall(ccaiBody({ resultTypes: ['poetry'] }))).json.Code).toBe('CCAI.InvalidParam.NotExist');
		const role = await ccaiCall(ccaiBody({ dialogue: { sentences: [{ role: 'robot', text: 'x' }] } }));
		expect(role.status).toBe(400);
		expect(role.json.Code).toBe('CCAI.ParamInvalid.IllegalParamValue');
		const app = await callSigned({
			baseUrl: emu.url,
			action: 'AnalyzeConversation',
			version: FIXTURES.ccai.version,
			pathname: `/${FIXTURES.ccai.workspaceId}/ccai/app/other-app/analyze_conversation`,
			body: ccaiBody(),
		});
		expect(app.json.Code).toBe('CCAI.IllegalPermission.NoAuth');
	});

	it('streams incremental text by default and cumulative text on request', async () => {
		const streamOnce = async () => {
			const prepared = prepareSignedRequest({
				baseUrl: emu.url,
				action: 'AnalyzeConversation',
				version: FIXTURES.ccai.version,
				pathname: ccaiPath,
				body: ccaiBody({ stream: true }),
			});
			const res = await readStream(prepared.url, { headers: prepared.headers, body: prepared.body });
			return res.events.map((e) => JSON.parse(e.data));
		};
		const full = (await ccaiCall(ccaiBody())).json.text;
		const incremental = await streamOnce();
		expect(incremental.length).toBeGreaterThan(1);
		expect(incremental.slice(0, -1).every((e) => e.finishReason === null)).toBe(true);
		expect(incremental[incremental.length - 1].finishReason).toBe('stop');
		expect(incremental.map((e) => e.text).join('')).toBe(full);

		emu.setCcaiStreamMode('cumulative');
		const cumulative = await streamOnce();
		expect(cumulative[cumulative.length - 1].text).toBe(full);
		expect(cumulative[1].text.startsWith(cumulative[0].text)).toBe(true);
	});

	it('enforces a QPS limit', async () => {
		emu.setCcaiQpsLimit(2);
		const results = await Promise.all([1, 2, 3, 4].map(() => ccaiCall(ccaiBody())));
		const codes = results.map((r) => (r.status === 200 ? 'ok' : r.json.errorCode));
		expect(codes.filter((c) => c === 'ok')).toHaveLength(2);
		expect(codes.filter((c) => c === 'CCAI.Throttling.Qps')).toHaveLength(2);
		const throttled = results.find((r) => r.status !== 200)!;
		expect(throttled.status).toBe(400);
		expect(throttled.json).toMatchObject({ success: false, Code: 'CCAI.Throttling.Qps', Message: expect.stringContaining('QPS') });
		emu.setCcaiQpsLimit(undefined);
		expect((await ccaiCall(ccaiBody())).status).toBe(200);
	});
});

describe('DianJin', () => {
	it('returns dialog details and a 200 business error for unknown sessions', async () => {
		const ok = await dianjinDetail(FIXTURES.dianjin.completedSessionId);
		expect(ok.json).toMatchObject({ success: true, errCode: '0', message: 'ok', data: { status: 'COMPLETED' } });
		const lines = ok.json.data.dialogueList;
		expect(lines).toHaveLength(8);
		expect(new Set(lines.map((l: { customerServiceType: string }) => l.customerServiceType))).toEqual(new Set(['0', '1']));
		const unknown = await dianjinDetail(FIXTURES.dianjin.unknownSessionId);
		expect(unknown.status).toBe(200);
		expect(unknown.json).toMatchObject({ success: false, errCode: 'DIALOG_NOT_FOUND' });
	});

	it('selects analysis results by time range and serves ossUrl objects', async () => {
		const ranged = await dianjinAnalysis({ startTime: '2025-08-14 09:00:00', endTime: '2025-08-14 15:00:00' });
		const list = ranged.json.data.dialogAnalysisRespList;
		expect(list.map((x: { sessionId: string }) => x.sessionId)).toEqual(FIXTURES.dianjin.sessionIds.slice(1, 4));
		const object = await getJson(list[0].ossUrl);
		expect(object.dialogSummary).toEqual(expect.any(String));
		const inline = await dianjinAnalysis({ sessionIds: [FIXTURES.dianjin.completedSessionId], useUrl: false });
		expect(inline.json.data.dialogAnalysisRespList[0].analysisResp.dialogLabels[0]).toHaveProperty('name');
		expect((await dianjinAnalysis({})).json).toMatchObject({ success: false, errCode: 'PARAM_ERROR' });
		const tooMany = await dianjinAnalysis({ sessionIds: Array.from({ length: 11 }, (_, i) => String(i)), useUrl: false });
		expect(tooMany.json.success).toBe(false);
	});
});

describe('faults', () => {
	type Outcome = 'fault' | 'ok';
	const stsProbe = async (): Promise<Outcome> => ((await sts()).status === 200 ? 'ok' : 'fault');
	const chatProbe = async (isFault: (r: Awaited<ReturnType<typeof chat>>) => boolean): Promise<Outcome> => {
		const { url } = await streamUrl();
		return isFault(await chat(url, { Utterance: '你好' })) ? 'fault' : 'ok';
	};
	const logProbe = async (isFault: (status: number, text: string) => boolean): Promise<Outcome> => {
		const res = await fetch(seedLogUrl());
		return isFault(res.status, await res.text()) ? 'fault' : 'ok';
	};

	const cases: Array<{ fault: Fault; probe: () => Promise<Outcome> }> = [
		{
			fault: { kind: 'throttle', times: 2 },
			probe: async () => {
				const r = await sts();
				if (r.status === 200) return 'ok';
				expect(r.json.Code).toBe('Throttling.User');
				return 'fault';
			},
		},
		{
			fault: { kind: 'serverError', times: 2 },
			probe: async () => {
				const r = await sts();
				if (r.status === 200) return 'ok';
				expect([r.status, r.json.Code]).toEqual([503, 'ServiceUnavailable']);
				return 'fault';
			},
		},
		{ fault: { kind: 'drop', times: 2 }, probe: () => stsProbe().catch(() => 'fault' as const) },
		{
			fault: { kind: 'ccaiThrottle', times: 2 },
			probe: async () => ((await ccaiCall(ccaiBody())).json.Code === 'CCAI.Throttling.Qps' ? 'fault' : 'ok'),
		},
		{
			fault: { kind: 'latency', times: 2, latencyMs: 300 },
			probe: async () => {
				const started = Date.now();
				await sts();
				return Date.now() - started >= 280 ? 'fault' : 'ok';
			},
		},
		{ fault: { kind: 'truncateSse', times: 2 }, probe: () => chatProbe((r) => r.final?.StreamEnd !== true) },
		{ fault: { kind: 'htmlStream', times: 2 }, probe: () => chatProbe((r) => r.contentType.includes('text/html')) },
		{
			fault: { kind: 'sseFailure', times: 2 },
			probe: () => chatProbe((r) => r.envelopes.length === 1 && r.envelopes[0].success === false && r.envelopes[0].code === 'InternalError'),
		},
		{ fault: { kind: 'expireStreamToken', times: 2 }, probe: () => chatProbe((r) => r.contentType.includes('text/html')) },
		{
			fault: { kind: 'callLogMalformed', times: 2 },
			probe: () =>
				logProbe((_s, text) => {
					try {
						JSON.parse(text);
						return false;
					} catch {
						return true;
					}
				}),
		},
		{
			fault: { kind: 'callLogHuge', times: 2 },
			probe: async () =>
				Number((await getHead(seedLogUrl())).headers['content-length']) > FIXTURES.ice.hugeLogBytes ? 'fault' : 'ok',
		},
		{ fault: { kind: 'callLogExpired', times: 2 }, probe: () => logProbe((s, t) => s === 403 && t.includes('Request has expired')) },
		{ fault: { kind: 'callLogNotFound', times: 2 }, probe: () => logProbe((s, t) => s === 404 && t.includes('NoSuchKey')) },
	];

	it.each(cases.map((c) => [c.fault.kind, c] as const))('%s fires `times` times, then stops', async (_kind, c) => {
		emu.addFault(c.fault);
		const outcomes: Outcome[] = [];
		for (let i = 0; i < 3; i++) outcomes.push(await c.probe());
		expect(outcomes).toEqual(['fault', 'fault', 'ok']);
	});

	it('waits for a matching request and keeps Infinity faults', async () => {
		emu.addFault({ kind: 'serverError', match: { action: 'ListAIAgentInstance' }, times: Infinity });
		expect((await sts()).status).toBe(200);
		for (let i = 0; i < 3; i++) {
			expect((await ice('ListAIAgentInstance', { AIAgentId: FIXTURES.ice.agentId })).status).toBe(503);
		}
		emu.addFault({ kind: 'truncateSse', match: { pathIncludes: '/sse/' } });
		expect((await sts()).status).toBe(200);
		const { url } = await streamUrl();
		expect((await chat(url, { Utterance: 'x' })).final.StreamEnd).toBe(false);
	});

	it('uses a 429 throttle when asked and records dropped requests with status 0', async () => {
		emu.addFault({ kind: 'throttle', status: 429 });
		expect((await sts()).status).toBe(429);
		emu.addFault({ kind: 'drop' });
		await expect(sts()).rejects.toThrow();
		expect(emu.requests[emu.requests.length - 1].status).toBe(0);
	});

	it('truncates CCAI streams and sends a failure event', async () => {
		const stream = async () => {
			const prepared = prepareSignedRequest({
				baseUrl: emu.url,
				action: 'AnalyzeConversation',
				version: FIXTURES.ccai.version,
				pathname: ccaiPath,
				body: ccaiBody({ stream: true }),
			});
			return (await readStream(prepared.url, { headers: prepared.headers, body: prepared.body })).events.map((e) => JSON.parse(e.data));
		};
		emu.addFault({ kind: 'truncateSse', match: { action: 'AnalyzeConversation' } });
		expect((await stream()).every((e) => e.finishReason !== 'stop')).toBe(true);
		emu.addFault({ kind: 'sseFailure', match: { action: 'AnalyzeConversation' } });
		expect(await stream()).toEqual([expect.objectContaining({ success: false, errorCode: 'CCAI.InternalError' })]);
	});
});

describe('recording and admin API', () => {
	it('records requests in order and counts calls', async () => {
		await sts();
		await ice('ListAIAgentInstance', { AIAgentId: FIXTURES.ice.agentId });
		await fetch(seedLogUrl());
		expect(emu.requests.map((r) => [r.method, r.action, r.status])).toEqual([
			['POST', 'GetCallerIdentity', 200],
			['POST', 'ListAIAgentInstance', 200],
			['GET', undefined, 200],
		]);
		expect(emu.requests[1].query).toEqual({ AIAgentId: FIXTURES.ice.agentId });
		expect(emu.requests[1].headers['x-acs-action']).toBe('ListAIAgentInstance');
		expect(emu.countCalls('ListAIAgentInstance')).toBe(1);
		expect(emu.countCalls('/calllogs/')).toBe(1);
	});

	it('applies setLatency to API calls only', async () => {
		emu.setLatency(200);
		let started = Date.now();
		await sts();
		expect(Date.now() - started).toBeGreaterThanOrEqual(190);
		started = Date.now();
		await fetch(`${emu.url}/__emulator/health`);
		expect(Date.now() - started).toBeLessThan(150);
	});

	it('can be driven over HTTP', async () => {
		const post = (path: string, body: unknown) =>
			fetch(`${emu.url}/__emulator/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

		expect((await post('faults', { kind: 'serverError', times: 'Infinity', match: { action: 'GetCallerIdentity' } })).status).toBe(200);
		expect((await sts()).status).toBe(503);
		expect((await sts()).status).toBe(503);
		expect((await post('faults', { kind: 'nonsense' })).status).toBe(400);

		const requests = await getJson(`${emu.url}/__emulator/requests`);
		expect(requests).toHaveLength(2);
		expect(requests[0]).toMatchObject({ method: 'POST', path: '/', action: 'GetCallerIdentity', status: 503 });

		expect((await post('reset', {})).status).toBe(200);
		expect(emu.requests).toHaveLength(0);
		expect((await sts()).status).toBe(200);

		await post('latency', { ms: 150 });
		const started = Date.now();
		await sts();
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);

		const fixtures = await getJson(`${emu.url}/__emulator/fixtures`);
		expect(fixtures.keys.accessKeyId).toBe(EMULATOR_KEYS.accessKeyId);
		expect(fixtures.fixtures.ice.agentId).toBe(FIXTURES.ice.agentId);
	});
});

describe('stress fixtures', () => {
	it('streams the 100k-sentence call log as valid JSON', async () => {
		const res: RawResponse = await new Promise((resolve, reject) => {
			httpGet(`${emu.url}/calllogs/${FIXTURES.ice.bigInstanceId}.json`, (r) => {
				const chunks: Buffer[] = [];
				r.on('data', (c: Buffer) => chunks.push(c));
				r.on('end', () => {
					const body = Buffer.concat(chunks);
					resolve({ status: r.statusCode ?? 0, headers: r.headers, body, text: '', json: JSON.parse(body.toString('utf8')) });
				});
			}).on('error', reject);
		});
		expect(res.body.length).toBe(Number(res.headers['content-length']));
		expect(res.json.dialog).toHaveLength(FIXTURES.ice.bigSentenceCount);
	});
});
