import type { INodeProperties } from 'n8n-workflow';

export const operationProperty: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	default: 'getCallLog',
	options: [
		{
			name: 'Get Call Log',
			value: 'getCallLog',
			description: 'Get the transcript of one finished call as a conversation',
			action: 'Get the call log of an instance',
		},
		{
			name: 'Get Instance',
			value: 'getInstance',
			description:
				'Get the details of one call: status, configuration, call info and user data. RTC AuthTokens are masked and CallLogUrl loses its signature.',
			action: 'Get an instance',
		},
		{
			name: 'List Dialogues',
			value: 'listDialogues',
			description: 'List the dialogue history of a session as a conversation',
			action: 'List the dialogues of a session',
		},
		{
			name: 'List Instances',
			value: 'listInstances',
			description: 'List the calls of an AI agent, optionally with their conversations',
			action: 'List the instances of an agent',
		},
	],
};
