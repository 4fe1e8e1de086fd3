import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { conversationFromIceCallLog } from '../../shared/conversation';
import { describeInstance } from '../helpers/api';
import { downloadCallLog, requireCallLogUrl } from '../helpers/callLog';
import type { ArchiveContext } from '../helpers/context';
import { downloadSettingsOf, optionsOf } from '../helpers/options';
import { requiredString } from '../helpers/parameters';
import { sentenceItems } from '../helpers/sentences';
import {
	allowedDownloadHostsOption,
	concurrencyOption,
	instanceIdProperty,
	maxDownloadSizeOption,
	optionsCollection,
	splitIntoItemsOption,
} from './common.description';

export const description: INodeProperties[] = [
	instanceIdProperty('getCallLog'),
	optionsCollection('getCallLog', [
		allowedDownloadHostsOption,
		{
			...concurrencyOption,
			description: 'How many input items are processed at the same time',
		},
		maxDownloadSizeOption,
		splitIntoItemsOption,
	]),
];

/** DescribeAIAgentInstance, then the JSON behind Instance.CallLogUrl, as the data-archiving guide describes. */
export async function execute(
	this: IExecuteFunctions,
	archive: ArchiveContext,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const instanceId = requiredString(this, 'instanceId', 'Instance ID', itemIndex);
	const options = optionsOf(this.getNodeParameter('options', itemIndex, {}));
	const instance = await describeInstance(archive.client, instanceId);
	const url = requireCallLogUrl(this, instance, instanceId, itemIndex);
	const callLog = await archive.downloads.run(
		async () => await downloadCallLog(archive.client, url, instanceId, downloadSettingsOf(options)),
	);
	const sessionId = typeof instance.SessionId === 'string' && instance.SessionId ? instance.SessionId : undefined;
	const conversation = conversationFromIceCallLog(callLog, sessionId);
	const status = typeof instance.Status === 'string' ? instance.Status : null;
	if (options.splitIntoItems) return sentenceItems(conversation, { instanceId, status }, itemIndex);
	return [{ json: { instanceId, status, conversation, callLog }, pairedItem: { item: itemIndex } }];
}
