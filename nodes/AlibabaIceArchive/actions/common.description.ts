import type { INodeProperties } from 'n8n-workflow';

import { downloadDeadlineProperty, timeoutProperty } from '../../shared/options/limitOptions';

export const timeoutOption: INodeProperties = timeoutProperty();

export const downloadDeadlineOption: INodeProperties = downloadDeadlineProperty;

export type IceArchiveOperation = 'getCallLog' | 'getInstance' | 'listDialogues' | 'listInstances';

export function showFor(operation: IceArchiveOperation): INodeProperties['displayOptions'] {
	return { show: { operation: [operation] } };
}

export const instanceIdProperty = (operation: 'getCallLog' | 'getInstance'): INodeProperties => ({
	displayName: 'Instance ID',
	name: 'instanceId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '39f8e0bc005e4f309379701645f4****',
	description:
		'ID of the AI agent instance (one call), as returned by StartAIAgentInstance, GenerateAIAgentCall, StartAIAgentOutboundCall or the agent callback',
	displayOptions: showFor(operation),
});

/** The agent whose calls are read, with what the reading is for in `purpose`. */
export const aiAgentIdProperty = (purpose: string): INodeProperties => ({
	displayName: 'AI Agent ID',
	name: 'aiAgentId',
	type: 'string',
	required: true,
	default: '',
	placeholder: '39f8e0bc005e4f309379701645f4****',
	description: `ID of the AI agent ${purpose}, as shown in the Intelligent Media Services console`,
});

export const allowedDownloadHostsOption: INodeProperties = {
	displayName: 'Allowed Download Hosts',
	name: 'allowedDownloadHosts',
	type: 'string',
	default: '',
	placeholder: 'files.example.com, *.example.org',
	description:
		'Extra hosts the call log may be downloaded from, comma-separated; "*.example.com" matches its subdomains. Call log URLs come from the API answer, so by default only HTTPS URLs on *.aliyuncs.com or on the credential\'s custom endpoints are downloaded.',
};

export const concurrencyOption: INodeProperties = {
	displayName: 'Concurrency',
	name: 'concurrency',
	type: 'number',
	default: 5,
	typeOptions: { minValue: 1, maxValue: 50 },
	description: 'How many items, and how many call-log downloads, are processed at the same time',
};

export const maxDownloadSizeOption: INodeProperties = {
	displayName: 'Max Download Size (MB)',
	name: 'maxDownloadSizeMb',
	type: 'number',
	default: 50,
	typeOptions: { minValue: 0.001, numberPrecision: 3 },
	description: 'A call log larger than this fails with a clear error instead of filling the memory',
};

export const pageSizeOption: INodeProperties = {
	displayName: 'Page Size',
	name: 'pageSize',
	type: 'number',
	default: 100,
	typeOptions: { minValue: 1, maxValue: 100 },
	description: 'How many results to request per API call (at most 100)',
};

export const splitIntoItemsOption: INodeProperties = {
	displayName: 'Split Into Items',
	name: 'splitIntoItems',
	type: 'boolean',
	default: false,
	description:
		'Whether to output one item per sentence (with its role, text and position) instead of one item holding the whole conversation',
};

export function optionsCollection(operation: IceArchiveOperation, options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: showFor(operation),
		options: [...options].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

export function returnAllAndLimit(operation: IceArchiveOperation): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: showFor(operation),
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			default: 50,
			typeOptions: { minValue: 1 },
			description: 'Max number of results to return',
			displayOptions: { show: { operation: [operation], returnAll: [false] } },
		},
	];
}

export const includeRawCallLogOption: INodeProperties = {
	displayName: 'Include Raw Call Log',
	name: 'includeRawCallLog',
	type: 'boolean',
	default: false,
	description:
		'Whether to also output the call log file as ICE wrote it, as "callLog". Off by default: "conversation" already holds every sentence, and n8n stores every node\'s output, so the raw log would store each call twice.',
};

export const waitForCallLogOptions: INodeProperties[] = [
	{
		displayName: 'Wait For Call Log',
		name: 'waitForCallLog',
		type: 'boolean',
		default: true,
		description:
			'Whether to keep asking, with growing pauses, when the call has ended but ICE has not written its log yet (no log link yet, or the link answers 404). Useful right after an agent_stop callback.',
	},
	{
		displayName: 'Wait For Call Log Seconds',
		name: 'waitForCallLogSeconds',
		type: 'number',
		default: 60,
		typeOptions: { minValue: 1, maxValue: 900 },
		description: 'How long to wait for a late call log before failing with an error that names the instance',
	},
];
