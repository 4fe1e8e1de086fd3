/**
 * Signing throughput: the package's ACS3 signer against the official SDK's `getAuthorization`
 * on the same pre-built inputs, after checking that both produce the same signatures.
 */
import { createHash, randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';

import OpenApiUtil from '@alicloud/openapi-util';
import type { IHttpRequestOptions } from 'n8n-workflow';

import { AlibabaCloudAccessKeyApi } from '../../credentials/AlibabaCloudAccessKeyApi.credentials';
import { encodePath, signAcs3, type SignableRequest } from '../../credentials/common/acs3Signature';
import { EMULATOR_KEYS } from '../emulator';
import { prepareSignedRequest } from '../emulator/signed-client';
import { median } from './measure';
import { perSecond, ratio, type BenchResult } from './report';

type SdkRequest = Parameters<typeof OpenApiUtil.getAuthorization>[0];

const ALGORITHM = 'ACS3-HMAC-SHA256';
const ROUNDS = 5;
const BASE_URL = 'https://ice.cn-shanghai.aliyuncs.com';

/** A deterministic PRNG, so every run signs the same inputs. */
function prng(seed: number) {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

interface Shape {
	method: 'GET' | 'POST';
	segments: string[];
	action: string;
	version: string;
	query: Record<string, string>;
	body?: Record<string, unknown>;
}

/** The request shapes the nodes send: RPC with query parameters, ROA GET and ROA JSON POST. */
function makeShape(random: () => number, i: number): Shape {
	const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
	const kind = i % 3;
	if (kind === 0) {
		return {
			method: 'POST',
			segments: [],
			action: pick(['ListAIAgentInstance', 'DescribeAIAgentInstance', 'ListAIAgentDialogues']),
			version: '2020-11-09',
			query: {
				AIAgentId: `agent-${Math.floor(random() * 1e6)}`,
				PageNumber: String(1 + Math.floor(random() * 100)),
				PageSize: '100',
				StartTime: '2025-08-01T00:00:00Z',
				EndTime: new Date(1754000000000 + Math.floor(random() * 1e9)).toISOString(),
				Note: pick(['plain', 'with space', "a*b~c!d'e(f)", '中文 参数', 'a+b=c&d']),
			},
		};
	}
	if (kind === 1) {
		return {
			method: 'GET',
			segments: [`llm-ws${Math.floor(random() * 1000)}`, 'api', 'virtualHuman', 'dialog', 'detail'],
			action: 'GetDialogDetail',
			version: '2024-06-28',
			query: { sessionId: String(1906623923815534000 + Math.floor(random() * 1000)) },
		};
	}
	const sentences = Array.from({ length: 1 + Math.floor(random() * 20) }, (_, n) => ({
		role: n % 2 ? 'agent' : 'user',
		text: `第${n}句：${'话'.repeat(Math.floor(random() * 40))}`,
	}));
	return {
		method: 'POST',
		segments: [`llm-ws${Math.floor(random() * 1000)}`, 'ccai', 'app', `app ${Math.floor(random() * 1000)}`, 'analyze_conversation'],
		action: 'AnalyzeConversation',
		version: '2024-06-03',
		query: {},
		body: { stream: false, resultTypes: ['summary'], dialogue: { sentences } },
	};
}

interface Input {
	shape: Shape;
	/** For the bare signers: fixed headers, date and nonce included. */
	signable: SignableRequest;
	sdk: SdkRequest;
	payloadHash: string;
	/** For the full paths: what a node hands to `authenticate`. */
	options: IHttpRequestOptions;
}

function buildInputs(count: number): Input[] {
	const random = prng(20250814);
	const host = new URL(BASE_URL).host;
	return Array.from({ length: count }, (_, i) => {
		const shape = makeShape(random, i);
		const bodyText = shape.body ? JSON.stringify(shape.body) : '';
		const payloadHash = createHash('sha256').update(bodyText).digest('hex');
		const headers: Record<string, string> = {
			host,
			'x-acs-action': shape.action,
			'x-acs-version': shape.version,
			'x-acs-date': new Date(1754000000000 + i * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
			'x-acs-signature-nonce': randomBytes(16).toString('hex'),
			'x-acs-content-sha256': payloadHash,
			'user-agent': 'AlibabaCloud (bench) TeaDSL/2',
			accept: 'application/json',
		};
		if (bodyText) headers['content-type'] = 'application/json; charset=utf-8';
		if (i % 4 === 3) headers['x-acs-security-token'] = EMULATOR_KEYS.sts.securityToken;
		const pathname = shape.segments.length ? encodePath(shape.segments) : '/';
		return {
			shape,
			payloadHash,
			signable: { method: shape.method, pathname, query: shape.query, headers, payloadHash },
			sdk: { pathname, method: shape.method, query: shape.query, headers } as unknown as SdkRequest,
			options: {
				method: shape.method,
				url: `${BASE_URL}${pathname}`,
				qs: shape.query,
				headers: { 'x-acs-action': shape.action, 'x-acs-version': shape.version },
				...(shape.body ? { body: shape.body } : {}),
			},
		};
	});
}

const credential = new AlibabaCloudAccessKeyApi();
const authenticate = credential.authenticate as (
	credentials: Record<string, unknown>,
	options: IHttpRequestOptions,
) => Promise<IHttpRequestOptions>;
const CREDENTIALS = { accessKeyId: EMULATOR_KEYS.accessKeyId, accessKeySecret: EMULATOR_KEYS.accessKeySecret, securityToken: '' };

const sign = {
	package: (input: Input) => signAcs3(input.signable, EMULATOR_KEYS.accessKeyId, EMULATOR_KEYS.accessKeySecret).authorization,
	sdk: (input: Input) =>
		OpenApiUtil.getAuthorization(input.sdk, ALGORITHM, input.payloadHash, EMULATOR_KEYS.accessKeyId, EMULATOR_KEYS.accessKeySecret),
};

/** The SDK's `doRequest` steps as the emulator's reference client mirrors them (body JSON + hash, date, nonce, headers, getAuthorization), without the send. */
function sdkFullPath(input: Input): string {
	const prepared = prepareSignedRequest({
		baseUrl: BASE_URL,
		action: input.shape.action,
		version: input.shape.version,
		method: input.shape.method,
		pathname: input.signable.pathname,
		query: input.shape.query,
		body: input.shape.body,
		credentials: EMULATOR_KEYS,
	});
	return prepared.headers.authorization;
}

/** Recomputes, with the SDK, the signature of a request `authenticate` produced. */
function sdkCheckOfAuthenticated(signed: IHttpRequestOptions): boolean {
	const url = new URL(signed.url);
	const query: Record<string, string> = {};
	url.searchParams.forEach((value, key) => (query[key] = value));
	const headers = signed.headers as Record<string, string>;
	const expected = OpenApiUtil.getAuthorization(
		{ pathname: url.pathname, method: signed.method, query, headers } as unknown as SdkRequest,
		ALGORITHM,
		headers['x-acs-content-sha256'],
		EMULATOR_KEYS.accessKeyId,
		EMULATOR_KEYS.accessKeySecret,
	);
	return expected === headers.authorization;
}

/** The official V3 doc example (reference §5.5.1): both signers must reproduce it. */
function docVectorHolds(): boolean {
	const headers = {
		host: 'ecs.cn-shanghai.aliyuncs.com',
		'x-acs-action': 'RunInstances',
		'x-acs-version': '2014-05-26',
		'x-acs-date': '2023-10-26T10:22:32Z',
		'x-acs-signature-nonce': '3156853299f313e23d1673dc12e1703d',
		'x-acs-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
	};
	const query = { ImageId: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd', RegionId: 'cn-shanghai' };
	const expected = 'Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0';
	const ours = signAcs3(
		{ method: 'POST', pathname: '/', query, headers, payloadHash: headers['x-acs-content-sha256'] },
		'YourAccessKeyId',
		'YourAccessKeySecret',
	).authorization;
	const sdk = OpenApiUtil.getAuthorization(
		{ pathname: '/', method: 'POST', query, headers } as unknown as SdkRequest,
		ALGORITHM,
		headers['x-acs-content-sha256'],
		'YourAccessKeyId',
		'YourAccessKeySecret',
	);
	return ours.endsWith(expected) && sdk === ours;
}

type Runner = (inputs: Input[]) => Promise<number>;

/** Returns a checksum so the work cannot be optimised away. */
const runners: Record<string, Runner> = {
	signAcs3: async (inputs) => {
		let sink = 0;
		for (const input of inputs) sink += sign.package(input).length;
		return sink;
	},
	sdkGetAuthorization: async (inputs) => {
		let sink = 0;
		for (const input of inputs) sink += sign.sdk(input).length;
		return sink;
	},
	authenticate: async (inputs) => {
		let sink = 0;
		for (const input of inputs) sink += String((await authenticate(CREDENTIALS, input.options)).headers!.authorization).length;
		return sink;
	},
	sdkFullPath: async (inputs) => {
		let sink = 0;
		for (const input of inputs) sink += sdkFullPath(input).length;
		return sink;
	},
};

export async function benchSigning(ops: number): Promise<BenchResult> {
	const inputs = buildInputs(ops);

	// Correctness first: identical signatures on every input, SDK-valid output from the full path.
	let mismatches = 0;
	for (const input of inputs) if (sign.package(input) !== sign.sdk(input)) mismatches++;
	let fullPathInvalid = 0;
	const fullSample = inputs.filter((_, i) => i % 10 === 0);
	for (const input of fullSample) if (!sdkCheckOfAuthenticated(await authenticate(CREDENTIALS, input.options))) fullPathInvalid++;
	const docVector = docVectorHolds();

	const warm = inputs.slice(0, Math.min(2000, inputs.length));
	for (let i = 0; i < 3; i++) for (const run of Object.values(runners)) await run(warm);

	const rates: Record<string, number[]> = Object.fromEntries(Object.keys(runners).map((k) => [k, []]));
	const names = Object.keys(runners);
	for (let round = 0; round < ROUNDS; round++) {
		// Alternate the order so neither side always runs on a hotter or colder heap.
		const order = round % 2 ? [...names].reverse() : names;
		for (const name of order) {
			const start = performance.now();
			await runners[name](inputs);
			rates[name].push(inputs.length / ((performance.now() - start) / 1000));
		}
	}
	const rate = Object.fromEntries(names.map((n) => [n, median(rates[n])])) as Record<string, number>;
	const bareRatio = rate.signAcs3 / rate.sdkGetAuthorization;
	const fullRatio = rate.authenticate / rate.sdkFullPath;
	const correct = mismatches === 0 && fullPathInvalid === 0 && docVector;
	const bench = '3. Signing';
	return {
		name: 'signing',
		rows: [
			{
				bench,
				measure: `Same signatures (${inputs.length} inputs; doc vector; SDK re-check of ${fullSample.length} authenticate outputs)`,
				result: correct
					? 'identical'
					: `${mismatches} mismatches, ${fullPathInvalid} invalid, doc vector ${docVector ? 'ok' : 'WRONG'}`,
				target: 'identical',
				verdict: correct ? 'PASS' : 'FAIL',
			},
			{ bench, measure: 'Package `signAcs3`', result: perSecond(rate.signAcs3) },
			{ bench, measure: 'SDK `getAuthorization` (same inputs)', result: perSecond(rate.sdkGetAuthorization) },
			{
				bench,
				measure: 'Package ÷ SDK',
				result: ratio(bareRatio),
				target: '≥ 1.00×',
				verdict: correct && bareRatio >= 1 ? 'PASS' : 'FAIL',
			},
			{ bench, measure: 'Package full `authenticate` (URL, body, hash, nonce, date, sign)', result: perSecond(rate.authenticate) },
			{
				bench,
				measure: 'SDK-style full preparation, same steps (test/emulator/signed-client, `getAuthorization`)',
				result: perSecond(rate.sdkFullPath),
			},
			{ bench, measure: 'Full path: package ÷ SDK', result: ratio(fullRatio) },
		],
		data: {
			inputs: inputs.length,
			rounds: ROUNDS,
			opsPerSecond: rate,
			samples: rates,
			ratio: bareRatio,
			fullPathRatio: fullRatio,
			mismatches,
			fullPathChecked: fullSample.length,
			fullPathInvalid,
			docVector,
		},
		notes: [
			`Signing: ${inputs.length} pre-built inputs (RPC query, ROA GET, ROA JSON POST; 1 in 4 with an STS token), 3 warm-up passes, median of ${ROUNDS} alternating rounds.`,
		],
	};
}
