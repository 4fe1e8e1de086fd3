import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { conversationFromIceDialogues } from '../../shared/conversation';
import { collectPages } from '../../shared/transport';
import { listDialoguesPage } from '../helpers/api';
import type { ArchiveContext } from '../helpers/context';
import { optionsOf, pageSizeOf } from '../helpers/options';
import { requiredString } from '../helpers/parameters';
import { sentenceItems } from '../helpers/sentences';
import { parseTime } from '../helpers/time';
import {
	concurrencyOption,
	optionsCollection,
	pageSizeOption,
	returnAllAndLimit,
	showFor,
	splitIntoItemsOption,
	timeoutOption,
} from './common.description';

/** The API requires both bounds; an empty field means "the last 24 hours". */
export const DEFAULT_DIALOGUE_WINDOW_MS = 24 * 60 * 60 * 1000;

export const description: INodeProperties[] = [
	{
		displayName: 'Session ID',
		name: 'sessionId',
		type: 'string',
		required: true,
		default: '',
		description: 'ID of the conversation session whose dialogue history to list',
		displayOptions: showFor('listDialogues'),
	},
	{
		displayName: 'Start Time',
		name: 'startTime',
		type: 'dateTime',
		default: '',
		description:
			'Only dialogues at or after this time. The API needs a range, so empty means 24 hours before End Time.',
		displayOptions: showFor('listDialogues'),
	},
	{
		displayName: 'End Time',
		name: 'endTime',
		type: 'dateTime',
		default: '',
		description: 'Only dialogues at or before this time. Empty means now.',
		displayOptions: showFor('listDialogues'),
	},
	...returnAllAndLimit('listDialogues'),
	optionsCollection('listDialogues', [
		{ ...concurrencyOption, description: 'How many input items are processed at the same time' },
		{
			displayName: 'Order',
			name: 'order',
			type: 'options',
			default: 'DESC',
			description:
				'Which dialogues come first from the API, and so which ones a Limit keeps. The conversation is always output in spoken order.',
			options: [
				{ name: 'Newest First', value: 'DESC' },
				{ name: 'Oldest First', value: 'ASC' },
			],
		},
		pageSizeOption,
		splitIntoItemsOption,
		timeoutOption,
	]),
];

/** ListAIAgentDialogues over a time range, paged until a short page, as one conversation. */
export async function execute(
	this: IExecuteFunctions,
	archive: ArchiveContext,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const sessionId = requiredString(this, 'sessionId', 'Session ID', itemIndex);
	const options = optionsOf(this.getNodeParameter('options', itemIndex, {}));
	const end =
		parseTime(this, this.getNodeParameter('endTime', itemIndex, ''), 'End Time', itemIndex) ?? Date.now();
	const start =
		parseTime(this, this.getNodeParameter('startTime', itemIndex, ''), 'Start Time', itemIndex) ??
		end - DEFAULT_DIALOGUE_WINDOW_MS;
	if (start > end) {
		throw new NodeOperationError(this.getNode(), 'Start Time is after End Time', { itemIndex });
	}
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	const query = { sessionId, startTime: start, endTime: end, order: options.order === 'ASC' ? 'ASC' : 'DESC' } as const;
	const dialogues = await collectPages(
		async (pageNumber, pageSize) => await listDialoguesPage(archive.client, query, pageNumber, pageSize),
		{ pageSize: pageSizeOf(this.getNode(), options, itemIndex), limit },
	);
	const conversation = conversationFromIceDialogues(dialogues, sessionId);
	if (options.splitIntoItems) return sentenceItems(conversation, { sessionId }, itemIndex);
	return [{ json: { sessionId, conversation, dialogues }, pairedItem: { item: itemIndex } }];
}
