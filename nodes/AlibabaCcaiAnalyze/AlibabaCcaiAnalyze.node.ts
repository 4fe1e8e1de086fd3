import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { analyzeConversation } from './actions/analyzeConversation';
import { router } from './router';
import { alibabaCredentials, authenticationProperty } from '../shared/authentication';

const OPERATIONS: INodePropertyOptions[] = [
	{
		name: 'Analyze Conversation',
		value: 'analyzeConversation',
		action: 'Analyze a conversation',
		description: 'Run ContactCenterAI AnalyzeConversation on a dialogue',
	},
];

export class AlibabaCcaiAnalyze implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Alibaba CCAI Analyze',
		name: 'alibabaCcaiAnalyze',
		icon: { light: 'file:alibabaCcaiAnalyze.svg', dark: 'file:alibabaCcaiAnalyze.dark.svg' },
		group: ['transform'],
		// 1.1: the analysis is added to the incoming item and empty conversations are skipped (see Output).
		version: [1, 1.1],
		defaultVersion: 1.1,
		// A literal, as n8n's linter requires here; test/editor/subtitles.test.ts keeps it in step with the options.
		subtitle: '={{ {"analyzeConversation": "Analyze Conversation"}[$parameter["operation"]] }}',
		description:
			'Analyze customer-service conversations with Alibaba Cloud ContactCenterAI (Tongyi Xiaomi): summaries, field extraction, service inspection and more',
		defaults: { name: 'Alibaba CCAI Analyze' },
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
				options: OPERATIONS,
				default: 'analyzeConversation',
			},
			...analyzeConversation.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
