import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import * as get from './get.operation';
import * as getAnalysisResult from './getAnalysisResult.operation';

export const operations: INodePropertyOptions[] = [
	{
		name: 'Get Dialog Detail',
		value: 'get',
		action: 'Get a dialog detail',
		description: "Get a session's transcript as a conversation, with its status and turn counts",
	},
	{
		name: 'Get Analysis Result',
		value: 'getAnalysisResult',
		action: 'Get dialog analysis results',
		description: "Get DianJin's analysis (labels, summary and more) of sessions, by ID or by time range",
	},
];

export const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		default: 'get',
		options: operations,
	},
	{
		displayName: 'Workspace ID',
		name: 'workspaceId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. llm-xxxxxxxxxxxx',
		description: 'ID of the DianJin workspace (业务空间) the sessions belong to',
	},
	...get.description,
	...getAnalysisResult.description,
];
