/**
 * The peer of the archive bench: the same per-call archive → analyze made the way a user without
 * this package would, with n8n's own HTTP Request node (n8n-nodes-base, from local-n8n) and this
 * package's credential: Describe, then the call-log GET, then AnalyzeConversation, batching set to
 * the same concurrency. Both run in the same engine against the same emulator process, from the
 * same 200 instance ids, and are timed for wall time and for this process's CPU per call.
 * A probe node replays the very same calls through n8n's HTTP helpers alone, which with the bare
 * node:http replay splits a call's CPU into n8n's helper and this package's code.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { AlibabaCloudAccessKeyApi } from '../../credentials/AlibabaCloudAccessKeyApi.credentials';
import { EMULATOR_KEYS, FIXTURES, type RecordedRequest } from '../emulator';
import { generatedInstanceId } from '../emulator/services/ice-data';
import { emulatorCredentials } from '../helpers/credentials';
import { registerNodeType, runWorkflow, type TestNode } from '../helpers/engine';
import type { BenchEmulator } from './emulatorProcess';
import { replayPhases } from './transportFloor';

export const HTTP_REQUEST_TYPE = 'n8n-nodes-base.httpRequest';
/** The HTTP Request node version n8n 2.8.4 puts on the canvas. */
const HTTP_REQUEST_VERSION = 4.2;
const HELPER_PROBE_TYPE = 'test.helperReplay';
const CREDENTIAL = 'alibabaCloudAccessKeyApi';

export const PEER_IDS = Array.from({ length: FIXTURES.ice.benchInstanceCount }, (_, i) =>
	generatedInstanceId(FIXTURES.ice.benchAgentId, i),
);

interface VersionedType {
	getNodeType(version: number): INodeType;
}

let registered = false;

/** n8n's HTTP Request node as n8n 2.8.4 ships it, plus the helper probe, in the test engine. */
export function registerPeerNodes(): void {
	if (registered) return;
	const file = join(__dirname, '..', '..', 'local-n8n', 'node_modules', 'n8n-nodes-base', 'dist', 'nodes', 'HttpRequest', 'HttpRequest.node.js');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { HttpRequest } = require(file) as { HttpRequest: new () => VersionedType };
	registerNodeType(HTTP_REQUEST_TYPE, new HttpRequest().getNodeType(HTTP_REQUEST_VERSION));
	registerNodeType(HELPER_PROBE_TYPE, new HelperReplayNode());
	registered = true;
}

/**
 * Replays recorded requests through n8n's HTTP helpers only: signed ones with
 * httpRequestWithAuthentication and this package's credential, downloads with httpRequest.
 * No node logic of this package runs, so its CPU is n8n's helper + signing + HTTP itself.
 */
class HelperReplayNode implements INodeType {
	description = {
		displayName: 'Helper Replay',
		name: 'helperReplay',
		group: ['transform'],
		version: 1,
		description: 'Replays requests through n8n helpers',
		defaults: { name: 'Helper Replay' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: CREDENTIAL, required: true }],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const { baseUrl, phases } = this.getInputData()[0].json as unknown as {
			baseUrl: string;
			phases: Array<{ requests: RecordedRequest[]; concurrency: number }>;
		};
		let count = 0;
		for (const phase of phases) {
			let next = 0;
			const worker = async () => {
				while (next < phase.requests.length) {
					const request = phase.requests[next++];
					const query = request.query as IDataObject;
					const options = {
						method: request.method as 'GET' | 'POST',
						url: `${baseUrl}${request.path}`,
						qs: Object.keys(query).length ? query : undefined,
						returnFullResponse: true,
						ignoreHttpStatusErrors: true,
					};
					const response = (request.headers.authorization
						? await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL, {
								...options,
								headers: {
									'x-acs-action': request.action ?? '',
									'x-acs-version': request.headers['x-acs-version'] ?? '',
									...(request.json !== undefined ? { 'content-type': 'application/json; charset=utf-8' } : {}),
								},
								body: request.json as IDataObject | undefined,
								json: true,
							})
						: await this.helpers.httpRequest({ ...options, json: true })) as { statusCode: number };
					if (response.statusCode !== 200) throw new Error(`helper replay: ${request.action ?? request.path} answered ${response.statusCode}`);
					count++;
				}
			};
			await Promise.all(Array.from({ length: Math.max(1, Math.min(phase.concurrency, phase.requests.length)) }, worker));
		}
		return [[{ json: { count } }]];
	}
}

export interface FlowRun {
	elapsedMs: number;
	/** This process's user + system CPU during the run (the emulator's is in its own process). */
	cpuMs: number;
	calls: number;
	completed: number;
	error?: string;
	requests: RecordedRequest[];
}

function itemsNode(ids: string[]): TestNode {
	return { name: 'Items', type: 'test.items', parameters: { items: JSON.stringify(ids.map((id) => ({ id }))) } };
}

/** This package: ICE Archive Get Call Log (Describe + GET) → CCAI Analyze, both at concurrency c. */
/** CCAI Analyze on each incoming conversation, as both package flows of the bench run it. */
export function analyzeNode(concurrency: number): TestNode {
	return {
		name: 'Analyze',
		type: 'alibabaCcaiAnalyze',
		parameters: {
			operation: 'analyzeConversation',
			workspaceId: FIXTURES.ccai.workspaceId,
			appId: FIXTURES.ccai.appId,
			dialogueSource: 'inputConversation',
			conversationField: 'conversation',
			resultTypes: ['summary'],
			options: { concurrency },
		},
	};
}

export function packageNodes(concurrency: number): TestNode[] {
	return [
		{
			name: 'Archive',
			type: 'alibabaIceArchive',
			// A late log is a real-world wait, not part of this comparison: every bench log exists.
			parameters: { operation: 'getCallLog', instanceId: '={{ $json.id }}', options: { concurrency, waitForCallLog: false } },
		},
		analyzeNode(concurrency),
	];
}

/**
 * The HTTP Request node's closest match to "concurrency c": it starts every item's request
 * without waiting, but with batching it pauses `batchInterval` ms after each `batchSize` items,
 * so c per latency period keeps about c in flight. At 0 ms latency there is nothing to pace.
 */
export function httpRequestNodes(baseUrl: string, concurrency: number, latencyMs: number): TestNode[] {
	const options = latencyMs > 0 ? { batching: { batch: { batchSize: concurrency, batchInterval: latencyMs } } } : {};
	const signed = (action: string, version: string) => ({
		authentication: 'predefinedCredentialType',
		nodeCredentialType: CREDENTIAL,
		sendHeaders: true,
		headerParameters: {
			parameters: [
				{ name: 'x-acs-action', value: action },
				{ name: 'x-acs-version', value: version },
			],
		},
	});
	const analyzeBody =
		"={{ JSON.stringify({ stream: false, resultTypes: ['summary'], dialogue: { sentences: $json.dialog.map(s => ({ role: s.role, text: s.text })), sessionId: $('Describe').item.json.Instance.SessionId } }) }}";
	return [
		{
			name: 'Describe',
			type: HTTP_REQUEST_TYPE,
			typeVersion: HTTP_REQUEST_VERSION,
			parameters: {
				method: 'POST',
				url: `${baseUrl}/`,
				...signed('DescribeAIAgentInstance', FIXTURES.ice.version),
				sendQuery: true,
				queryParameters: { parameters: [{ name: 'InstanceId', value: '={{ $json.id }}' }] },
				options,
			},
		},
		{
			name: 'Call Log',
			type: HTTP_REQUEST_TYPE,
			typeVersion: HTTP_REQUEST_VERSION,
			parameters: { method: 'GET', url: '={{ $json.Instance.CallLogUrl }}', options },
		},
		{
			name: 'Analyze',
			type: HTTP_REQUEST_TYPE,
			typeVersion: HTTP_REQUEST_VERSION,
			parameters: {
				method: 'POST',
				url: `${baseUrl}/${FIXTURES.ccai.workspaceId}/ccai/app/${FIXTURES.ccai.appId}/analyze_conversation`,
				...signed('AnalyzeConversation', FIXTURES.ccai.version),
				sendBody: true,
				contentType: 'json',
				specifyBody: 'json',
				jsonBody: analyzeBody,
				options,
			},
		},
	];
}

export async function runFlow(
	emulator: BenchEmulator,
	latencyMs: number,
	nodes: TestNode[],
	ids: string[] = PEER_IDS,
): Promise<FlowRun> {
	registerPeerNodes();
	await emulator.reset(latencyMs);
	const cpu = process.cpuUsage();
	const start = performance.now();
	const result = await runWorkflow({ nodes: [itemsNode(ids), ...nodes], credentials: emulatorCredentials(emulator.url, EMULATOR_KEYS) });
	const elapsedMs = performance.now() - start;
	const used = process.cpuUsage(cpu);
	const last = nodes[nodes.length - 1].name;
	const error = nodes.map((node) => result.error(node.name)).find(Boolean);
	const output = result.run.data.resultData.runData[last]?.[0]?.data?.main?.[0] ?? [];
	const requests = await emulator.requests();
	return {
		elapsedMs,
		cpuMs: (used.user + used.system) / 1000,
		calls: requests.length,
		// CCAI Analyze puts its result beside the call (field "analysis") by default; the HTTP Request node outputs it bare.
		completed: output.filter((item) => {
			const analysis = (item.json.analysis ?? item.json) as IDataObject;
			return item.json.error === undefined && typeof analysis.text === 'string';
		}).length,
		error: error?.message,
		requests,
	};
}

/** The phases of a per-call flow: Describe, then downloads, then analyses, each at `concurrency`. */
export function perCallPhases(requests: RecordedRequest[], concurrency: number) {
	return [
		{ requests: requests.filter((r) => r.action === 'DescribeAIAgentInstance'), concurrency },
		{ requests: requests.filter((r) => r.path.startsWith('/calllogs/')), concurrency },
		{ requests: requests.filter((r) => r.action === 'AnalyzeConversation'), concurrency },
	];
}

/** CPU of the same calls through n8n's helpers alone (probe node, same engine). */
export async function helperReplayCpu(emulator: BenchEmulator, requests: RecordedRequest[], concurrency: number) {
	registerPeerNodes();
	await emulator.reset(0);
	const input = { baseUrl: emulator.url, phases: perCallPhases(requests, concurrency) };
	const cpu = process.cpuUsage();
	const start = performance.now();
	const result = await runWorkflow({
		nodes: [{ name: 'Replay', type: HELPER_PROBE_TYPE }],
		input: [input as unknown as IDataObject],
		credentials: emulatorCredentials(emulator.url, EMULATOR_KEYS),
	});
	const elapsedMs = performance.now() - start;
	const used = process.cpuUsage(cpu);
	const error = result.error('Replay');
	if (error) throw error;
	return { elapsedMs, cpuMs: (used.user + used.system) / 1000, calls: requests.length };
}

/** CPU of the same calls with bare node:http and the SDK's signer (no n8n). */
export async function bareReplayCpu(emulator: BenchEmulator, requests: RecordedRequest[], concurrency: number) {
	await emulator.reset(0);
	const cpu = process.cpuUsage();
	const elapsedMs = await replayPhases(emulator.url, perCallPhases(requests, concurrency));
	const used = process.cpuUsage(cpu);
	return { elapsedMs, cpuMs: (used.user + used.system) / 1000, calls: requests.length };
}

/** This package's signing alone: `authenticate` on the Describe call, per call, in a loop. */
export async function signingCpuPerCallMs(baseUrl: string, rounds = 3000): Promise<number> {
	const credential = new AlibabaCloudAccessKeyApi();
	const authenticate = credential.authenticate as unknown as (
		credentials: IDataObject,
		options: IDataObject,
	) => Promise<IDataObject>;
	const credentials = emulatorCredentials(baseUrl, EMULATOR_KEYS)[CREDENTIAL] as IDataObject;
	const options = {
		method: 'POST',
		url: `${baseUrl}/`,
		qs: { InstanceId: PEER_IDS[0] },
		headers: { 'x-acs-action': 'DescribeAIAgentInstance', 'x-acs-version': FIXTURES.ice.version },
		json: true,
	};
	for (let i = 0; i < 200; i++) await authenticate(credentials, { ...options });
	const cpu = process.cpuUsage();
	for (let i = 0; i < rounds; i++) await authenticate(credentials, { ...options, headers: { ...options.headers } });
	const used = process.cpuUsage(cpu);
	return (used.user + used.system) / 1000 / rounds;
}
