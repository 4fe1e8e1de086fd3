import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';

import { AlibabaIceAgentTrigger } from '../../nodes/AlibabaIceAgentTrigger/AlibabaIceAgentTrigger.node';
import { isSentenceRole } from '../../nodes/shared/conversation';
import { registerNodeType, runWorkflow } from '../helpers/engine';
import { callWebhook } from '../helpers/webhook';
import { audioRecord, chatRecord, INSTANCE_ID } from './payloads';

const PROBE_TYPE = 'test.conversationProbe';

/**
 * Reads its input the way CCAI Analyze's "Conversation From Input" does (`conversation.sentences[]`
 * with role user/agent/system and a text), and resolves an expression parameter the way the
 * example's ICE Archive node resolves `{{ $json.instanceId }}`.
 */
class ConversationProbe implements INodeType {
	description = {
		displayName: 'Conversation Probe',
		name: 'conversationProbe',
		group: ['transform'],
		version: 1,
		description: 'Reads conversation sentences',
		defaults: { name: 'Probe' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Instance ID', name: 'instanceId', type: 'string', default: '' }],
	} as unknown as INodeTypeDescription;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((item, index) => {
				const conversation = item.json.conversation as IDataObject | undefined;
				const sentences = (conversation?.sentences ?? []) as IDataObject[];
				const readable = sentences.every((s) => isSentenceRole(s.role) && typeof s.text === 'string');
				return {
					json: {
						instanceId: this.getNodeParameter('instanceId', index) as string,
						readable,
						lines: sentences.map((s) => `${String(s.role)}: ${String(s.text)}`),
					},
					pairedItem: { item: index },
				};
			}),
		];
	}
}

beforeAll(() => registerNodeType(PROBE_TYPE, new ConversationProbe()));
beforeEach(() => jest.spyOn(Container.get(Logger), 'warn').mockImplementation(() => {}));
afterEach(() => jest.restoreAllMocks());

async function runFromCallback(items: INodeExecutionData[]) {
	return await runWorkflow({
		mode: 'webhook',
		nodes: [
			{ name: 'ICE Agent Trigger', type: 'alibabaIceAgentTrigger', parameters: { authentication: 'none' }, credentials: [] },
			{ name: 'Probe', type: PROBE_TYPE, parameters: { instanceId: '={{ $json.instanceId }}' }, credentials: [] },
		],
		input: items.map((item) => item.json),
	});
}

describe('Alibaba ICE Agent Trigger in the execution engine', () => {
	it('starts an execution whose chat_record item a conversation reader downstream can use directly', async () => {
		const call = await callWebhook({ type: 'alibabaIceAgentTrigger', parameters: { authentication: 'none' }, request: { json: chatRecord() } });
		const result = await runFromCallback(call.items);

		expect(result.run.status).toBe('success');
		expect(result.output('ICE Agent Trigger').map((item) => item.json)).toEqual(call.items.map((item) => item.json));
		expect(result.output('Probe').map((item) => item.json)).toEqual([
			{
				instanceId: INSTANCE_ID,
				readable: true,
				lines: ['agent: 哈喽，我是小云。', 'user: 讲个有趣的儿童故事。', 'agent: 从前，有一只小狐狸。'],
			},
		]);
	});

	it('passes an audio_record item on with role, text and audio for expressions downstream', async () => {
		const call = await callWebhook({ type: 'alibabaIceAgentTrigger', parameters: { authentication: 'none' }, request: { json: audioRecord('user') } });
		const result = await runWorkflow({
			mode: 'webhook',
			nodes: [
				{ name: 'ICE Agent Trigger', type: 'alibabaIceAgentTrigger', parameters: { authentication: 'none' }, credentials: [] },
				{
					name: 'Probe',
					type: PROBE_TYPE,
					parameters: { instanceId: '={{ $json.role + "|" + $json.text + "|" + $json.audio }}' },
					credentials: [],
				},
			],
			input: call.items.map((item) => item.json),
		});
		const data = audioRecord('user').data;
		expect(result.output('Probe')[0].json.instanceId).toBe(`user|${data.text}|${data.audioUrl}`);
	});
});

describe('Alibaba ICE Agent Callback credential test', () => {
	const test = new AlibabaIceAgentTrigger().methods.credentialTest.iceAgentCallbackTokenFormat;
	const run = async (token: unknown) =>
		await test.call({} as ICredentialTestFunctions, {
			id: '1',
			name: 'Test',
			type: 'alibabaIceAgentCallbackApi',
			data: { token },
		} as ICredentialsDecrypted);

	it('is the test the node names in testedBy for its credential', () => {
		const description = new AlibabaIceAgentTrigger().description;
		expect(description.credentials).toEqual([
			expect.objectContaining({ name: 'alibabaIceAgentCallbackApi', testedBy: 'iceAgentCallbackTokenFormat' }),
		]);
	});

	it('passes a token that can travel in the Authorization header', async () => {
		expect(await run('Xy7-abc_DEF.123')).toEqual({ status: 'OK', message: expect.stringMatching(/Authorization header/) });
	});

	it('fails an empty, Bearer-prefixed or non-ASCII token with what to fix', async () => {
		expect(await run('')).toMatchObject({ status: 'Error', message: expect.stringMatching(/empty/) });
		expect(await run(undefined)).toMatchObject({ status: 'Error', message: expect.stringMatching(/empty/) });
		expect(await run('Bearer abc')).toMatchObject({ status: 'Error', message: expect.stringMatching(/Bearer/) });
		expect(await run('令牌')).toMatchObject({ status: 'Error', message: expect.stringMatching(/ASCII/) });
	});
});
