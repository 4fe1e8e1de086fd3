import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { conversationFromDianjinDialogues } from '../../shared/conversation';
import { timeoutProperty } from '../../shared/options/limitOptions';
import { type AlibabaClient, DEFAULT_CONCURRENCY } from '../../shared/transport';
import { aboutSession, type DialogDetail, getDialogDetail } from '../helpers/dianjinApi';
import { requiredText, sessionIdList } from '../helpers/parameters';

const show = { operation: ['get'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Session ID',
		name: 'sessionId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1906623923815534001',
		description:
			'ID of the DianJin session (会话 ID) to read. Several IDs (separated by commas, spaces or new lines, or an expression that returns an array) give one output item per session, in the order listed.',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				default: DEFAULT_CONCURRENCY,
				typeOptions: { minValue: 1, maxValue: 50 },
				description: 'How many sessions are read at the same time when several items come in',
			},
			{
				displayName: 'Include Raw Dialogue List',
				name: 'includeDialogueList',
				type: 'boolean',
				default: false,
				description: "Whether to add DianJin's original dialogueList next to the mapped conversation",
			},
			timeoutProperty(),
		],
	},
];

interface GetOptions {
	includeDialogueList?: boolean;
}

export async function execute(
	this: IExecuteFunctions,
	client: AlibabaClient,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const workspaceId = requiredText(this, 'workspaceId', 'Workspace ID', itemIndex);
	const sessionIds = sessionIdList(this, 'sessionId', itemIndex);
	if (sessionIds.length === 0) {
		throw new NodeOperationError(this.getNode(), 'Session ID is empty', {
			itemIndex,
			description: 'Enter the session ID (or several) or map it from the input with an expression.',
		});
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as GetOptions;
	// One after another inside an item: items already run in parallel up to Concurrency.
	const output: INodeExecutionData[] = [];
	for (const sessionId of sessionIds) {
		output.push(await readSession(client, workspaceId, sessionId, options, itemIndex));
	}
	return output;
}

async function readSession(
	client: AlibabaClient,
	workspaceId: string,
	sessionId: string,
	options: GetOptions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	let detail: DialogDetail;
	try {
		detail = await getDialogDetail(client, workspaceId, sessionId);
	} catch (error) {
		throw aboutSession(error, `session ${sessionId} in workspace ${workspaceId}`);
	}

	const dialogueList = Array.isArray(detail.dialogueList) ? detail.dialogueList : [];
	const json: IDataObject = {
		sessionId,
		status: detail.status ?? null,
		totalDialogTurns: detail.totalDialogTurns ?? null,
		validDialogTurns: detail.validDialogTurns ?? null,
		gmtCreate: detail.gmtCreate ?? null,
		conversation: conversationFromDianjinDialogues(dialogueList, sessionId, detail.gmtCreate),
	};
	if (options.includeDialogueList) json.dialogueList = dialogueList;
	return { json, pairedItem: { item: itemIndex } };
}
