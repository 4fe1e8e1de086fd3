import type { INodeProperties } from 'n8n-workflow';

import {
	aiAgentIdProperty,
	allowedDownloadHostsOption,
	concurrencyOption,
	downloadDeadlineOption,
	includeRawCallLogOption,
	maxDownloadSizeOption,
	timeoutOption,
} from '../AlibabaIceArchive/actions/common.description';

export const DEFAULT_MAX_WAIT_HOURS = 24;
export const DEFAULT_LOG_RETRIES = 5;
export const DEFAULT_OVERLAP_MINUTES = 10;

const triggerOptions: INodeProperties[] = [
	allowedDownloadHostsOption,
	{
		...concurrencyOption,
		description: 'How many call logs are downloaded at the same time',
	},
	downloadDeadlineOption,
	includeRawCallLogOption,
	{
		displayName: 'Log Download Retries',
		name: 'logRetries',
		type: 'number',
		default: DEFAULT_LOG_RETRIES,
		typeOptions: { minValue: 0, maxValue: 100 },
		description:
			'How many later polls retry a call whose log failed to download (for example a 404 while ICE is still writing it) before the call is output once with "callLogError"',
	},
	maxDownloadSizeOption,
	{
		displayName: 'Max Wait For Unfinished Call (Hours)',
		name: 'maxWaitHours',
		type: 'number',
		default: DEFAULT_MAX_WAIT_HOURS,
		typeOptions: { minValue: 0.0001, maxValue: 720, numberPrecision: 4 },
		description:
			'How long a call that is still running is checked again on every poll. After that it is output once with its status and a "callLogError", so it is never lost silently.',
	},
	{
		displayName: 'Overlap Window (Minutes)',
		name: 'overlapMinutes',
		type: 'number',
		default: DEFAULT_OVERLAP_MINUTES,
		typeOptions: { minValue: 0, maxValue: 1440, numberPrecision: 2 },
		description:
			'How far before the previous poll each poll looks again, for calls that appear in the list late (clock differences, listing delay). Calls already output within it are remembered and not output again.',
	},
	timeoutOption,
];

export const properties: INodeProperties[] = [
	aiAgentIdProperty('whose finished calls start the workflow'),
	{
		displayName: 'Start From',
		name: 'startFrom',
		type: 'dateTime',
		default: '',
		description:
			'Calls created from this time on are output. Leave empty to start from the moment the workflow is activated. Changing it later starts over from the new time.',
	},
	{
		displayName: 'Include Call Log',
		name: 'includeCallLog',
		type: 'boolean',
		default: true,
		description:
			'Whether to download each finished call\'s log and output it as "conversation" (ready for CCAI Analyze). Off: only the call\'s details, with "conversation" empty.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...triggerOptions].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
];
