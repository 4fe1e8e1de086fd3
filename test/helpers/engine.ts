/**
 * Runs nodes inside n8n's own execution engine (n8n-core's WorkflowExecute), with the
 * package's real credential class doing the signing, so tests exercise what n8n runs.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import {
	createDeferredPromise,
	createRunExecutionData,
	ICredentialsHelper,
	sleep,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentials,
	type ICredentialType,
	type IConnections,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestHelper,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypes,
	type IRun,
	type IWorkflowExecuteAdditionalData,
	type StructuredChunk,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

import { AlibabaCloudAccessKeyApi } from '../../credentials/AlibabaCloudAccessKeyApi.credentials';
import { AlibabaCloudRamRoleApi } from '../../credentials/AlibabaCloudRamRoleApi.credentials';

export const PACKAGE_NAME = 'n8n-nodes-alibaba-cloud-conversations';
export const ITEMS_NODE_TYPE = 'test.items';

/** A start node for tests: it emits the items given in its `items` parameter. */
class ItemsNode implements INodeType {
	description = {
		displayName: 'Items',
		name: 'items',
		group: ['input'],
		version: 1,
		description: 'Emits fixed items',
		defaults: { name: 'Items' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' } as INodeProperties],
	} as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string | IDataObject[];
		const items = (typeof raw === 'string' ? JSON.parse(raw) : raw) as IDataObject[];
		return [items.map((json, index) => ({ json, pairedItem: { item: 0 }, index }) as INodeExecutionData)];
	}
}

let packageNodes: Map<string, INodeType> | undefined;

/** Loads every `*.node.ts` below nodes/, as n8n's loader loads every built node file. */
function loadPackageNodes(): Map<string, INodeType> {
	if (packageNodes) return packageNodes;
	packageNodes = new Map();
	const root = join(__dirname, '..', '..', 'nodes');
	for (const dir of readdirSync(root, { withFileTypes: true })) {
		if (!dir.isDirectory()) continue;
		for (const file of readdirSync(join(root, dir.name))) {
			if (!file.endsWith('.node.ts')) continue;
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const module = require(join(root, dir.name, file)) as Record<string, new () => INodeType>;
			for (const Exported of Object.values(module)) {
				if (typeof Exported !== 'function') continue;
				const instance = new Exported();
				if (instance.description?.name) packageNodes.set(`${PACKAGE_NAME}.${instance.description.name}`, instance);
			}
		}
	}
	return packageNodes;
}

const extraNodeTypes = new Map<string, INodeType>();

/** Adds a test-only node type (one that does not live under nodes/), e.g. a probe of the shared transport. */
export function registerNodeType(name: string, type: INodeType) {
	extraNodeTypes.set(name, type);
}

export class TestNodeTypes implements INodeTypes {
	private readonly types = new Map<string, INodeType>([
		[ITEMS_NODE_TYPE, new ItemsNode()],
		...loadPackageNodes(),
		...extraNodeTypes,
	]);

	getByName(nodeType: string): INodeType {
		const type = this.types.get(nodeType);
		if (!type) throw new Error(`Unknown node type ${nodeType}`);
		return type;
	}

	getByNameAndVersion(nodeType: string): INodeType {
		return this.getByName(nodeType);
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries([...this.types.keys()].map((name) => [name, {}]));
	}
}

const credentialTypes: Record<string, ICredentialType> = {
	alibabaCloudAccessKeyApi: new AlibabaCloudAccessKeyApi(),
	alibabaCloudRamRoleApi: new AlibabaCloudRamRoleApi(),
};

export function getCredentialType(name: string): ICredentialType | undefined {
	return credentialTypes[name];
}

/** Every credential write-back (n8n's updateCredentials), in order: the test's stand-in for n8n's database. */
export const credentialWrites: Array<{ type: string; data: ICredentialDataDecryptedObject }> = [];

export function registerCredentialType(type: ICredentialType) {
	credentialTypes[type.name] = type;
}

/** Hands out the test's credentials and signs with the credential type's own `authenticate`. */
export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(private readonly data: Record<string, ICredentialDataDecryptedObject>) {
		super();
	}

	getParentTypes(): string[] {
		return [];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const type = credentialTypes[typeName];
		if (typeof type?.authenticate === 'function') return await type.authenticate(credentials, requestOptions);
		return requestOptions;
	}

	/**
	 * n8n's CLI CredentialsHelper.preAuthentication (2.8), step for step: only a credential with a
	 * hidden `expirable` field takes part; its preAuthentication runs when that field is empty, when
	 * n8n-core saw the credentials expire (a 401), or for the Test button's noOp node; the answer
	 * is merged and written back to the stored credential.
	 */
	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = credentialTypes[typeName];
		const expirable = type?.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
		if (!type || expirable?.name === undefined) return undefined;
		const isTestingCredentials = node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] === '' || credentialsExpired || isTestingCredentials) {
			const output = await type.preAuthentication.call(helpers, credentials);
			if (output[expirable.name] === undefined) return undefined;
			if (node.credentials) {
				await this.updateCredentials(node.credentials[type.name], type.name, Object.assign(credentials, output));
				return Object.assign(credentials, output);
			}
		}
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by these nodes');
	}

	async getDecrypted(_a: unknown, _n: unknown, type: string): Promise<ICredentialDataDecryptedObject> {
		const data = this.data[type];
		if (!data) throw new Error(`No test credentials of type ${type}`);
		return { ...data };
	}

	async updateCredentials(_nodeCredentials: unknown, type: string, data: ICredentialDataDecryptedObject) {
		credentialWrites.push({ type, data: { ...data } });
		// The test's credential object is the stored credential: later reads see what was written.
		if (this.data[type]) Object.assign(this.data[type], data);
	}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties(): INodeProperties[] {
		return [];
	}
}

export interface TestNode {
	name: string;
	/** Default: the version n8n gives a node newly added in the editor. */
	typeVersion?: number;
	/** Short name (`alibabaIceArchive`) or a full type name. */
	type: string;
	parameters?: IDataObject;
	continueOnFail?: boolean;
	credentials?: string[];
}

export interface RunOptions {
	nodes: TestNode[];
	/** `[from, to]` pairs on the main output; default: the nodes in a chain. */
	connections?: Array<[string, string]>;
	/** Items the first node receives. */
	input?: IDataObject[];
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	mode?: WorkflowExecuteMode;
	/** Turns n8n's streaming on, as a Chat Trigger or a streaming Webhook does. */
	streaming?: boolean;
	/** Workflow static data, shared across runs when the same object is passed again. */
	staticData?: IDataObject;
	/** Cancels the execution this long after it started, as the editor's stop button does. */
	cancelAfterMs?: number;
}

export interface RunResult {
	run: IRun;
	/** Output items of a node's first run, main output 0. */
	output(nodeName: string): INodeExecutionData[];
	/** The error a node stopped with, if any. */
	error(nodeName: string): (Error & { description?: string; context?: IDataObject }) | undefined;
	chunks: StructuredChunk[];
	staticData: IDataObject;
}

/** What n8n gives a node newly added in the editor: defaultVersion, else the highest version. */
/**
 * What every test context gives n8n-core alongside the run: the credentials (signed by the
 * package's real credential classes) and the instance's URLs, as a local n8n would have them.
 */
export function baseAdditionalData(credentials: Record<string, ICredentialDataDecryptedObject> = {}) {
	return {
		credentialsHelper: new TestCredentialsHelper(credentials),
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		variables: {},
		logAiEvent: () => {},
	};
}

export function latestVersion(type: INodeType): number {
	const { version, defaultVersion } = type.description;
	return defaultVersion ?? (Array.isArray(version) ? Math.max(...version) : version);
}

export function fullType(type: string): string {
	return type.includes('.') ? type : `${PACKAGE_NAME}.${type}`;
}

export async function runWorkflow(options: RunOptions): Promise<RunResult> {
	const nodeTypes = new TestNodeTypes();
	const nodes: INode[] = options.nodes.map((node, index) => ({
		id: `node-${index}`,
		name: node.name,
		type: fullType(node.type),
		typeVersion: node.typeVersion ?? latestVersion(nodeTypes.getByName(fullType(node.type))),
		position: [index * 200, 0],
		parameters: (node.parameters ?? {}) as INode["parameters"],
		...(node.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
		credentials: Object.fromEntries(
			(node.credentials ?? ['alibabaCloudAccessKeyApi']).map((type) => [type, { id: '1', name: 'Test' }]),
		),
	}));
	const pairs =
		options.connections ?? nodes.slice(1).map((node, i) => [nodes[i].name, node.name] as [string, string]);
	const connections: IConnections = {};
	for (const [from, to] of pairs) {
		connections[from] ??= { main: [[]] };
		connections[from].main[0]!.push({ node: to, type: 'main', index: 0 });
	}
	const staticData = options.staticData ?? {};
	const workflow = new Workflow({
		id: 'test-workflow',
		name: 'Test',
		nodes,
		connections,
		nodeTypes,
		active: false,
		staticData,
		settings: { executionOrder: 'v1' },
	});

	const mode = options.mode ?? 'manual';
	const hooks = new ExecutionLifecycleHooks(mode, 'test-execution', {
		id: 'test-workflow',
		name: 'Test',
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes,
		connections,
	} as never);
	const chunks: StructuredChunk[] = [];
	if (options.streaming) hooks.addHandler('sendChunk', (chunk) => void chunks.push(chunk));
	const done = createDeferredPromise<IRun>();
	hooks.addHandler('workflowExecuteAfter', (run) => done.resolve(run));

	const additionalData = {
		...baseAdditionalData({ ...(options.credentials ?? {}) }),
		hooks,
		executionId: 'test-execution',
		streamingEnabled: options.streaming === true,
		executeWorkflow: async () => {
			throw new Error('sub-workflows are not used here');
		},
		getRunExecutionData: async () => undefined,
		startRunnerTask: async () => {
			throw new Error('code runners are not used here');
		},
	} as unknown as IWorkflowExecuteAdditionalData;

	const start = nodes[0];
	const runData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node: start,
					data: { main: [(options.input ?? [{}]).map((json) => ({ json }))] },
					source: null,
				},
			],
		},
	});
	const execute = new WorkflowExecute(additionalData, mode, runData);
	const pending = execute.processRunExecutionData(workflow);
	if (options.cancelAfterMs !== undefined) void sleep(options.cancelAfterMs).then(() => pending.cancel());
	await pending;
	const run = await done.promise;

	return {
		run,
		output(nodeName) {
			const task = run.data.resultData.runData[nodeName]?.[0];
			if (!task) throw new Error(`Node "${nodeName}" did not run`);
			return task.data?.main?.[0] ?? [];
		},
		error(nodeName) {
			return run.data.resultData.runData[nodeName]?.[0]?.error as ReturnType<RunResult['error']>;
		},
		chunks,
		staticData: workflow.staticData as IDataObject,
	};
}

/** One node fed with `input` items. */
export async function runNode(
	type: string,
	parameters: IDataObject,
	options: Omit<RunOptions, 'nodes'> & { continueOnFail?: boolean; typeVersion?: number } = {},
): Promise<RunResult & { items: INodeExecutionData[] }> {
	const result = await runWorkflow({
		...options,
		nodes: [{ name: 'Node', type, parameters, continueOnFail: options.continueOnFail, typeVersion: options.typeVersion }],
	});
	const items = result.run.data.resultData.runData.Node?.[0]?.data?.main?.[0] ?? [];
	return { ...result, items };
}
