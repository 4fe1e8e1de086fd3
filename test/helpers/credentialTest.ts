/**
 * The Test button, as n8n 2.8's CredentialsTester runs a credential's `test` request: a noOp
 * node named Temp-Node with one `temp` property routed to the test request, executed by
 * n8n-core's RoutingNode, then the rules read the answer. Credentials and preAuthentication go
 * through the engine's TestCredentialsHelper (a port of n8n's).
 */
import { ExecuteContext, RoutingNode } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialTestRequest,
	type IDataObject,
	type INode,
	type INodeType,
	type INodeTypes,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { getCredentialType, TestCredentialsHelper } from './engine';

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

function lookup(object: unknown, path: string): unknown {
	return path.split('.').reduce<unknown>((value, key) => (value as IDataObject | undefined)?.[key], object);
}

export async function testCredential(type: string, data: ICredentialDataDecryptedObject): Promise<CredentialTestResult> {
	const credentialType = getCredentialType(type);
	const test = credentialType?.test as ICredentialTestRequest | undefined;
	if (!test) throw new Error(`credential type ${type} has no test request`);
	const nodeType: INodeType = {
		description: {
			displayName: 'No Operation',
			name: 'n8n-nodes-base.noOp',
			group: ['organization'],
			version: 1,
			description: 'Temp',
			defaults: { name: 'Temp' },
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: type, required: true }],
			properties: [{ displayName: 'Temp', name: 'temp', type: 'string', routing: { request: test.request }, default: '' }],
		} as INodeType['description'],
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const node: INode = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		credentials: { [type]: { id: 'credential-under-test', name: 'Under test' } },
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper({ [type]: data }),
		variables: {},
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
	} as unknown as IWorkflowExecuteAdditionalData;
	const context = new ExecuteContext(
		workflow,
		workflow.getNode('Temp-Node')!,
		additionalData,
		'internal',
		createRunExecutionData(),
		0,
		[],
		{ main: [[{ json: {} }]] },
		{ node, data: {}, source: null },
		[],
	);
	const credentialsDecrypted = { id: 'credential-under-test', name: 'Under test', type, data };
	let response;
	try {
		response = await new RoutingNode(context, nodeType, credentialsDecrypted).runNode();
	} catch (error) {
		const { cause } = error as { cause?: { response?: { status: number; statusText?: string }; code?: string } };
		if (cause?.response) {
			return { status: 'Error', message: cause.response.statusText || `Received HTTP status code: ${cause.response.status}` };
		}
		if (cause?.code) return { status: 'Error', message: cause.code };
		return { status: 'Error', message: String((error as Error).message) };
	}
	for (const rule of test.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		if (lookup(response?.[0]?.[0]?.json, rule.properties.key) === rule.properties.value) {
			return { status: 'Error', message: rule.properties.message };
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}
