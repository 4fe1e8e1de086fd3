import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { conversationFromIceLogParts } from '../../shared/conversation';
import { callOutput } from '../helpers/callOutput';
import type { ArchiveContext } from '../helpers/context';
import { identifyInstance, sessionIdOf } from '../helpers/instance';
import { describeAndReadCallLog } from '../helpers/lateCallLog';
import { callLogWaitMsOf, downloadSettingsOf, optionsOf } from '../helpers/options';
import { requiredString } from '../helpers/parameters';
import { sentenceItems } from '../helpers/sentences';
import {
	allowedDownloadHostsOption,
	concurrencyOption,
	includeRawCallLogOption,
	downloadDeadlineOption,
	instanceIdProperty,
	maxDownloadSizeOption,
	optionsCollection,
	splitIntoItemsOption,
	waitForCallLogOptions,
	timeoutOption,
} from './common.description';

export const description: INodeProperties[] = [
	instanceIdProperty('getCallLog'),
	optionsCollection('getCallLog', [
		allowedDownloadHostsOption,
		{
			...concurrencyOption,
			description:
				'How many API calls, and how many call-log downloads, run at the same time. The node describes the next instances while earlier call logs download, so up to twice this many requests can be open at once.',
		},
		includeRawCallLogOption,
		downloadDeadlineOption,
		maxDownloadSizeOption,
		splitIntoItemsOption,
		timeoutOption,
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
		settings: downloadSettingsOf(this.getNode(), options, itemIndex),
		keepRaw: options.includeRawCallLog === true,
		waitMs: callLogWaitMsOf(this.getNode(), options, itemIndex),
	});
	const conversation = conversationFromIceLogParts(log.header, log.sentences, sessionIdOf(instance), instanceId);
	const status = typeof instance.Status === 'string' ? instance.Status : null;
	const identity = identifyInstance({ instance, describedId: instanceId });
	if (options.splitIntoItems) return sentenceItems(conversation, { ...identity, status }, itemIndex);
	const json = callOutput({
		...identity,
		status,
		conversation,
		agentUserId: log.header.agentUserId,
		callLog: log.raw,
		includeRawCallLog: options.includeRawCallLog,
	});
	return [{ json, pairedItem: { item: itemIndex } }];
}
