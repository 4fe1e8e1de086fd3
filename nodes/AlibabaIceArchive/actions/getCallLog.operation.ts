import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { conversationFromIceLogParts } from '../../shared/conversation';
import { callOutput } from '../helpers/callOutput';
import type { ArchiveContext } from '../helpers/context';
import { describeAndReadCallLog } from '../helpers/lateCallLog';
import { callLogWaitMsOf, downloadSettingsOf, optionsOf } from '../helpers/options';
import { requiredString } from '../helpers/parameters';
import { sentenceItems } from '../helpers/sentences';
import {
	allowedDownloadHostsOption,
	concurrencyOption,
	includeRawCallLogOption,
	instanceIdProperty,
	maxDownloadSizeOption,
	optionsCollection,
	splitIntoItemsOption,
	waitForCallLogOptions,
} from './common.description';

export const description: INodeProperties[] = [
	instanceIdProperty('getCallLog'),
	optionsCollection('getCallLog', [
		allowedDownloadHostsOption,
		{
			...concurrencyOption,
			description: 'How many input items are processed at the same time',
		},
		includeRawCallLogOption,
		maxDownloadSizeOption,
		splitIntoItemsOption,
		...waitForCallLogOptions,
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
	const { instance, log } = await describeAndReadCallLog(this, archive, {
		instanceId,
		itemIndex,
		settings: downloadSettingsOf(options),
		keepRaw: options.includeRawCallLog === true,
		waitMs: callLogWaitMsOf(options),
	});
	const sessionId = typeof instance.SessionId === 'string' && instance.SessionId ? instance.SessionId : undefined;
	const conversation = conversationFromIceLogParts(log.header, log.sentences, sessionId);
	const status = typeof instance.Status === 'string' ? instance.Status : null;
	if (options.splitIntoItems) return sentenceItems(conversation, { instanceId, status }, itemIndex);
	const json = callOutput({
		instanceId,
		status,
		conversation,
		agentUserId: log.header.agentUserId,
		callLog: log.raw,
		includeRawCallLog: options.includeRawCallLog,
	});
	return [{ json, pairedItem: { item: itemIndex } }];
}
