import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import { NodeHelpers, type IConnections, type IDataObject, type INode } from 'n8n-workflow';

import { type Emulator, EMULATOR_KEYS, FIXTURES, startEmulator } from '../emulator';
import { emulatorCredentials } from '../helpers/credentials';
import { latestVersion, PACKAGE_NAME, runWorkflow, TestNodeTypes } from '../helpers/engine';
import { callWebhook } from '../helpers/webhook';
import { AGENT_ID, agentStop, chatRecord, TOKEN } from './payloads';

interface ExampleWorkflow {
	nodes: INode[];
	connections: IConnections;
}

const example = JSON.parse(
	readFileSync(join(__dirname, '..', '..', 'examples', 'ice-agent-callbacks-archive.json'), 'utf8'),
) as ExampleWorkflow;
const byName = (name: string) => {
	const node = example.nodes.find((candidate) => candidate.name === name);
	if (!node) throw new Error(`The example has no node "${name}"`);
	return node;
};
const packageNodes = example.nodes.filter((node) => node.type.startsWith(`${PACKAGE_NAME}.`));
const shortType = (node: INode) => node.type.slice(PACKAGE_NAME.length + 1);

let emulator: Emulator;
beforeAll(async () => {
	emulator = await startEmulator({ port: 0 });
});
afterAll(async () => await emulator.close());
beforeEach(() => {
	emulator.reset();
	jest.spyOn(Container.get(Logger), 'warn').mockImplementation(() => {});
});
afterEach(() => jest.restoreAllMocks());

describe('example workflow: ICE agent callbacks → call log → CCAI analysis', () => {
	it('chains trigger → Get Call Log → Analyze Conversation → Archive Result', () => {
		const next = (name: string) => example.connections[name]?.main?.[0]?.map((target) => target.node);
		expect(next('ICE Agent Trigger')).toEqual(['Get Call Log']);
		expect(next('Get Call Log')).toEqual(['Analyze Conversation']);
		expect(next('Analyze Conversation')).toEqual(['Archive Result']);
		expect(packageNodes.map(shortType)).toEqual(['alibabaIceAgentTrigger', 'alibabaIceArchive', 'alibabaCcaiAnalyze']);
	});

	it('starts on agent_stop only, checks the token, and references the credentials by the agreed ids', () => {
		const trigger = byName('ICE Agent Trigger');
		expect(trigger.parameters).toMatchObject({ authentication: 'callbackToken', events: ['agent_stop'] });
		expect(trigger.webhookId).toMatch(/^[0-9a-f-]{36}$/);
		expect(trigger.credentials).toEqual({
			alibabaIceAgentCallbackApi: { id: 'emulator-callback', name: 'ICE callback token (emulator)' },
		});
		for (const name of ['Get Call Log', 'Analyze Conversation']) {
			expect(byName(name).credentials).toEqual({
				alibabaCloudAccessKeyApi: { id: 'emulator-ak', name: 'Alibaba Cloud (emulator)' },
			});
		}
		// agent_stop arrives before ICE has written the log: Get Call Log waits for it.
		expect(byName('Get Call Log').parameters).toMatchObject({
			operation: 'getCallLog',
			instanceId: '={{ $json.instanceId }}',
			options: { waitForCallLog: true, waitForCallLogSeconds: 60 },
		});
		expect(byName('Analyze Conversation').parameters).toMatchObject({
			dialogueSource: 'inputConversation',
			resultTypes: ['summary', 'service_inspection'],
			output: 'addToInput',
			resultField: 'analysis',
		});
	});

	it('gives every package node parameters its description accepts (no parameter issues in n8n)', () => {
		const nodeTypes = new TestNodeTypes();
		for (const node of packageNodes) {
			const type = nodeTypes.getByName(node.type);
			const { description } = type;
			expect(node.typeVersion).toBe(latestVersion(type));
			const withDefaults = {
				...node,
				parameters: NodeHelpers.getNodeParameters(description.properties, node.parameters, true, false, node, description)!,
			};
			expect({ node: node.name, issues: NodeHelpers.getNodeParametersIssues(description.properties, withDefaults, description) }).toEqual({
				node: node.name,
				issues: null,
			});
		}
	});

	it('acknowledges other events without starting it', async () => {
		const trigger = byName('ICE Agent Trigger');
		const call = await callWebhook({
			type: trigger.type,
			parameters: trigger.parameters,
			credentials: { alibabaIceAgentCallbackApi: { token: TOKEN } },
			request: { headers: { authorization: `Bearer ${TOKEN}` }, json: chatRecord() },
		});
		expect(call.response.statusCode).toBe(200);
		expect(call.items).toHaveLength(0);
	});

	it('archives and analyzes the stopped instance in the engine, against the emulator', async () => {
		const trigger = byName('ICE Agent Trigger');
		const instanceId = FIXTURES.ice.seedInstanceId;
		const call = await callWebhook({
			type: trigger.type,
			parameters: trigger.parameters,
			credentials: { alibabaIceAgentCallbackApi: { token: TOKEN } },
			request: { headers: { authorization: TOKEN }, json: agentStop({ instanceId, aiAgentId: AGENT_ID }) },
		});
		expect(call.response.statusCode).toBe(200);

		const result = await runWorkflow({
			mode: 'webhook',
			nodes: packageNodes.map((node) => ({
				name: node.name,
				type: node.type,
				typeVersion: node.typeVersion,
				parameters: node.parameters as IDataObject,
				credentials: Object.keys(node.credentials ?? {}).filter((type) => type === 'alibabaCloudAccessKeyApi'),
			})),
			input: call.items.map((item) => item.json),
			credentials: emulatorCredentials(emulator.url, EMULATOR_KEYS),
		});

		expect(result.run.status).toBe('success');
		const [log] = result.output('Get Call Log');
		expect(log.json.instanceId).toBe(instanceId);
		const sentences = (log.json.conversation as IDataObject).sentences as IDataObject[];
		expect(sentences).toHaveLength(FIXTURES.ice.seedSentenceCount);

		const analyses = result.output('Analyze Conversation');
		expect(analyses).toHaveLength(1);
		// The call comes through with its analysis beside it, so the store after it needs nothing else.
		expect(analyses[0].json.instanceId).toBe(instanceId);
		expect(analyses[0].json.conversation).toEqual(log.json.conversation);
		const analysis = (analyses[0].json.analysis as IDataObject).result as IDataObject;
		expect(Object.keys(analysis).sort()).toEqual(['service_inspection', 'summary']);
		expect(String(analysis.summary)).toContain(`${FIXTURES.ice.seedSentenceCount} sentences`);

		const [request] = emulator.requests.filter((recorded) => recorded.action === 'AnalyzeConversation');
		expect((request.json as IDataObject).dialogue).toMatchObject({
			sentences: sentences.map((sentence) => ({ role: sentence.role, text: sentence.text })),
		});
	});
});
