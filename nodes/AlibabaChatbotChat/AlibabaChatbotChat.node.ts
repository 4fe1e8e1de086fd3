import {
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type INodePropertyOptions,
	NodeConnectionTypes,
} from 'n8n-workflow';

import { router } from './actions/router';
import * as sendMessage from './actions/sendMessage.operation';
import { alibabaCredentials, authenticationProperty } from '../shared/authentication';

const OPERATIONS: INodePropertyOptions[] = [
	{
		name: 'Send Message',
		value: 'sendMessage',
		action: 'Send a message to the chatbot',
		description: 'Ask the chatbot something and get its full answer and the session to continue with',
	},
];

export class AlibabaChatbotChat implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Alibaba Chatbot Chat',
		name: 'alibabaChatbotChat',
		icon: { light: 'file:alibabaChatbotChat.light.svg', dark: 'file:alibabaChatbotChat.dark.svg' },
		group: ['transform'],
		version: 1,
		// A literal, as n8n's linter requires here; test/editor/subtitles.test.ts keeps it in step with the options.
		subtitle: '={{ {"sendMessage": "Send Message"}[$parameter["operation"]] }}',
		description:
			'Send a message to an Alibaba Cloud Tongyi chatbot (智能对话机器人) and get its answer, streamed to the chat when the workflow streams',
		defaults: { name: 'Alibaba Chatbot Chat' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: alibabaCredentials,
		properties: [
			authenticationProperty,
			{
				displayName: 'Operation',
				name: 'operation',
				type: 'options',
				noDataExpression: true,
				default: 'sendMessage',
				options: OPERATIONS,
			},
			...sendMessage.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
