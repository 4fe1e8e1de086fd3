/**
 * Runs a trigger node's `webhook()` inside n8n-core's real WebhookContext, as n8n 2.x's
 * WebhookService.runWebhook does, with an express-like request and a response that records
 * what the node wrote. The request body is prepared the way n8n 2.8's webhook body parser
 * prepares it for a version-1 webhook node (raw body always read, then parsed by content type).
 */
import { randomUUID } from 'node:crypto';
import { parse as parseQueryString } from 'node:querystring';

import { HookContext, WebhookContext } from 'n8n-core';
import {
	Workflow,
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type INode,
	type INodeExecutionData,
	type IWebhookData,
	type IWebhookDescription,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { baseAdditionalData, fullType, TestNodeTypes } from './engine';

export interface WebhookRequest {
	/** Header names in any case; they are lower-cased as Node.js does. */
	headers?: Record<string, string>;
	/** A value sent as `application/json` (serialised here). */
	json?: unknown;
	/** A raw body, sent with `contentType` (none by default). */
	raw?: string | Buffer;
	contentType?: string;
	method?: string;
	query?: IDataObject;
}

export interface WebhookCall {
	/** Short node name (`alibabaIceAgentTrigger`) or a full type name. */
	type: string;
	parameters?: IDataObject;
	/** Decrypted credential data by credential type; each type given is also set on the node. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	request: WebhookRequest;
	mode?: WorkflowExecuteMode;
	/** Name of the webhook in the node description; default `default`. */
	webhookName?: string;
	/**
	 * The workflow's static data as n8n loads it from the database for each production request
	 * (live-webhooks.ts builds a new Workflow per request); default empty.
	 */
	staticData?: IDataObject;
	/** Run this activation method (`checkExists`, `create`, `delete`) instead of `webhook()`. */
	hook?: 'checkExists' | 'create' | 'delete';
}

export interface RecordedResponse {
	statusCode: number;
	headers: Record<string, string>;
	body: unknown;
	/** The node ended the response itself. */
	finished: boolean;
}

export interface WebhookCallResult {
	result: IWebhookResponseData;
	response: RecordedResponse;
	/** The response had been ended by the time `webhook()` returned (before any execution could start). */
	answeredBeforeReturn: boolean;
	/** Items an execution would start with (`workflowData[0]`); empty when none starts. */
	items: INodeExecutionData[];
	node: INode;
	/** The workflow's static data after `webhook()`, as n8n would save it. */
	staticData: IDataObject;
	/** n8n saves static data after the webhook answered only when this is true (WorkflowStaticDataService.saveStaticData). */
	staticDataChanged: boolean;
}

/** What n8n answers itself, before the node runs, for an application/json body it cannot parse. */
export class N8nRejectsBodyError extends Error {
	readonly status = 422;

	constructor(detail: string) {
		super(`n8n answers 422 "Failed to parse request body" (${detail}) before any webhook node runs`);
	}
}

function recordingResponse() {
	const recorded: RecordedResponse = { statusCode: 200, headers: {}, body: undefined, finished: false };
	const finish = (body: unknown) => {
		if (recorded.finished) throw new Error('The response was already sent');
		recorded.body = body;
		recorded.finished = true;
	};
	const res = {
		get headersSent() {
			return recorded.finished;
		},
		status(code: number) {
			recorded.statusCode = code;
			return res;
		},
		setHeader(name: string, value: string | number) {
			recorded.headers[name.toLowerCase()] = String(value);
			return res;
		},
		getHeader(name: string) {
			return recorded.headers[name.toLowerCase()];
		},
		header(name: string, value: string) {
			return res.setHeader(name, value);
		},
		writeHead(code: number, headers?: Record<string, string>) {
			recorded.statusCode = code;
			for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
			return res;
		},
		json(body: unknown) {
			recorded.headers['content-type'] ??= 'application/json; charset=utf-8';
			finish(body);
			return res;
		},
		send(body: unknown) {
			finish(body);
			return res;
		},
		end(body?: unknown) {
			finish(body);
			return res;
		},
	};
	return { res, recorded };
}

/** Mirrors n8n 2.8's `parseBody` for the content types it parses; other bodies stay unparsed. */
function expressRequest(request: WebhookRequest) {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
	let raw: Buffer | undefined;
	if (request.json !== undefined) {
		raw = Buffer.from(JSON.stringify(request.json));
		headers['content-type'] ??= 'application/json';
	} else if (request.raw !== undefined) {
		raw = Buffer.isBuffer(request.raw) ? request.raw : Buffer.from(request.raw);
		if (request.contentType) headers['content-type'] = request.contentType;
	}
	if (raw) headers['content-length'] = String(raw.length);
	const contentType = headers['content-type']?.split(';')[0].trim().toLowerCase();

	let body: unknown;
	if (raw?.length) {
		const text = raw.toString('utf8');
		if (contentType === 'application/json') {
			try {
				body = JSON.parse(text);
			} catch (error) {
				throw new N8nRejectsBodyError((error as Error).message);
			}
		} else if (contentType === 'application/x-www-form-urlencoded') {
			body = { ...parseQueryString(text) };
		} else if (contentType === 'text/plain') {
			body = text;
		}
	}
	return {
		method: request.method ?? 'POST',
		headers,
		query: request.query ?? {},
		params: {},
		body,
		rawBody: raw ?? Buffer.alloc(0),
		contentType,
		encoding: 'utf8',
		readRawBody: async () => {},
	};
}

/** Runs one of the node's webhookMethods at activation, in n8n-core's HookContext; what it returned. */
export async function activateWebhook(call: Omit<WebhookCall, 'request' | 'hook'> & { hook?: WebhookCall['hook'] }): Promise<unknown> {
	const outcome = (await callWebhook({ ...call, hook: call.hook ?? 'checkExists', request: {} })) as unknown as { hookResult: unknown };
	return outcome.hookResult;
}

export async function callWebhook(call: WebhookCall): Promise<WebhookCallResult> {
	const nodeTypes = new TestNodeTypes();
	const type = fullType(call.type);
	const nodeType = nodeTypes.getByName(type);
	if (typeof nodeType.webhook !== 'function') throw new Error(`${type} has no webhook()`);
	const description = nodeType.description.webhooks?.find(
		(webhook) => webhook.name === (call.webhookName ?? 'default'),
	) as IWebhookDescription | undefined;
	if (!description) throw new Error(`${type} declares no webhook "${call.webhookName ?? 'default'}"`);

	const credentials = call.credentials ?? {};
	const node: INode = {
		id: 'trigger-node',
		name: 'Trigger',
		type,
		typeVersion: nodeType.description.version as number,
		position: [0, 0],
		parameters: (call.parameters ?? {}) as INode['parameters'],
		webhookId: randomUUID(),
		credentials: Object.fromEntries(Object.keys(credentials).map((name) => [name, { id: '1', name: 'Test' }])),
	};
	const workflow = new Workflow({
		id: 'test-webhook-workflow',
		name: 'Webhook test',
		nodes: [node],
		connections: {},
		nodeTypes,
		active: true,
		staticData: call.staticData ?? {},
		settings: { executionOrder: 'v1' },
	});

	const { res, recorded } = recordingResponse();
	const additionalData = {
		...baseAdditionalData(credentials),
		httpRequest: expressRequest(call.request),
		httpResponse: res,
		executionId: undefined,
	} as unknown as IWorkflowExecuteAdditionalData;
	const webhookData: IWebhookData = {
		httpMethod: description.httpMethod as IWebhookData['httpMethod'],
		node: node.name,
		path: String(description.path),
		webhookDescription: description,
		workflowId: workflow.id,
		workflowExecuteAdditionalData: additionalData,
		webhookId: node.webhookId,
	};

	const workflowNode = workflow.getNode(node.name)!;
	if (call.hook) {
		// As WebhookService.runWebhookMethod does when n8n activates the workflow.
		const method = nodeType.webhookMethods?.[description.name]?.[call.hook];
		if (!method) throw new Error(`${type} has no webhookMethods.${description.name}.${call.hook}`);
		const hookContext = new HookContext(workflow, workflowNode, additionalData, 'trigger', 'activate', webhookData);
		const exists = await method.call(hookContext);
		return { hookResult: exists } as unknown as WebhookCallResult;
	}
	const context = new WebhookContext(workflow, workflowNode, additionalData, call.mode ?? 'webhook', webhookData, [], null);
	const result = await nodeType.webhook.call(context);
	return {
		result,
		response: recorded,
		answeredBeforeReturn: recorded.finished,
		items: result.workflowData?.[0] ?? [],
		node: workflowNode,
		staticData: workflow.staticData,
		staticDataChanged: (workflow.staticData as IDataObject & { __dataChanged?: boolean }).__dataChanged === true,
	};
}
