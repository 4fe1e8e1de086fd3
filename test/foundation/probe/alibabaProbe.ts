import { performance } from 'node:perf_hooks';
/**
 * A test-only node type (it is never shipped: it lives under test/, not nodes/) that drives the
 * shared transport from inside n8n's engine. Each input item says what to do in `json.op`, so a
 * single workflow run can mix calls, failures and latencies across items.
 */
import {
	NodeOperationError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import {
	AlibabaClient,
	downloadJson,
	runItems,
	type DownloadPolicy,
	type RetryPolicy,
	type RoaCall,
	type RpcCall,
} from '../../../nodes/shared/transport';
import { registerNodeType } from '../../helpers/engine';

export const PROBE_NODE_TYPE = 'test.alibabaProbe';

export type ProbeOp =
	| { op: 'rpc'; call: RpcCall }
	| { op: 'roa'; call: RoaCall }
	| { op: 'roaEvents'; call: RoaCall }
	| { op: 'postForEvents'; url: string; body: IDataObject }
	| { op: 'download'; url: string; policy: DownloadPolicy }
	/** n8n's legacy request helper, as the HTTP Request node (v3) calls it with a predefined credential. */
	| { op: 'legacyRequest'; options: IDataObject }
	/** n8n's current request helper with the credential, without the shared client. */
	| { op: 'httpRequest'; options: IHttpRequestOptions }
	| { op: 'wait' }
	| { op: 'throw'; message: string };

export type ProbeItem = ProbeOp & { delayMs?: number; tag?: string | number };

/** What the handler saw, read by tests after a run (node and tests share the process). */
export const probeStats = {
	inFlight: 0,
	maxInFlight: 0,
	started: [] as number[],
	/** performance.now() at each start, in start order. */
	startedAt: [] as number[],
	reset() {
		this.inFlight = 0;
		this.maxInFlight = 0;
		this.started = [];
		this.startedAt = [];
	},
};

async function perform(ctx: IExecuteFunctions, client: AlibabaClient, item: ProbeItem): Promise<IDataObject> {
	switch (item.op) {
		case 'rpc':
			return { result: await client.rpc(item.call) };
		case 'roa':
			return { result: await client.roa(item.call) };
		case 'roaEvents': {
			const events = [];
			for await (const event of await client.roaEvents(item.call)) events.push(event);
			return { events } as unknown as IDataObject;
		}
		case 'postForEvents': {
			const events = [];
			const stream = await client.postForEvents('Chatbot stream chat', item.url, item.body, () => ({
				code: 'StreamRejected',
				message: 'The stream URL was rejected.',
				operation: 'Chatbot stream chat',
			}));
			for await (const event of stream) events.push(event);
			return { events } as unknown as IDataObject;
		}
		case 'download':
			return { result: (await downloadJson(client, item.url, item.policy)) as IDataObject };
		case 'legacyRequest':
			return {
				result: (await ctx.helpers.requestWithAuthentication.call(ctx, 'alibabaCloudAccessKeyApi', item.options)) as IDataObject,
			};
		case 'httpRequest':
			return {
				result: (await ctx.helpers.httpRequestWithAuthentication.call(ctx, 'alibabaCloudAccessKeyApi', item.options)) as IDataObject,
			};
		case 'wait':
			return {};
		case 'throw':
			throw new NodeOperationError(ctx.getNode(), item.message);
	}
}

export class AlibabaProbe implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Alibaba Transport Probe',
		name: 'alibabaProbe',
		group: ['transform'],
		version: 1,
		description: 'Test-only driver of the shared Alibaba transport',
		defaults: { name: 'Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'alibabaCloudAccessKeyApi', required: true }],
		properties: [
			{ displayName: 'Concurrency', name: 'concurrency', type: 'number', default: 5 },
			{ displayName: 'Retry', name: 'retry', type: 'json', default: '{}' },
			{ displayName: 'Timeout (ms)', name: 'timeoutMs', type: 'number', default: 0 },
		],
	} as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const retryRaw = this.getNodeParameter('retry', 0) as string | IDataObject;
		const retry = (typeof retryRaw === 'string' ? JSON.parse(retryRaw) : retryRaw) as Partial<RetryPolicy>;
		const timeoutMs = this.getNodeParameter('timeoutMs', 0) as number;
		const client = await AlibabaClient.create(this, { retry, ...(timeoutMs ? { timeoutMs } : {}) });
		const items = this.getInputData();
		const output = await runItems(
			this,
			async (index) => {
				const item = items[index].json as unknown as ProbeItem;
				probeStats.inFlight++;
				probeStats.maxInFlight = Math.max(probeStats.maxInFlight, probeStats.inFlight);
				probeStats.started.push(index);
				probeStats.startedAt.push(performance.now());
				try {
					if (item.delayMs) await sleep(item.delayMs);
					const json = await perform(this, client, item);
					return [{ json: { tag: item.tag ?? index, ...json } }];
				} finally {
					probeStats.inFlight--;
				}
			},
			this.getNodeParameter('concurrency', 0) as number,
		);
		return [output];
	}
}

registerNodeType(PROBE_NODE_TYPE, new AlibabaProbe());
