import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { describeInstance } from '../helpers/api';
import type { ArchiveContext } from '../helpers/context';
import { identifyInstance, instanceOutput } from '../helpers/instance';
import { requiredString } from '../helpers/parameters';
import { concurrencyOption, instanceIdProperty, optionsCollection, timeoutOption } from './common.description';

export const description: INodeProperties[] = [
	instanceIdProperty('getInstance'),
	optionsCollection('getInstance', [
		{ ...concurrencyOption, description: 'How many input items are processed at the same time' },
		timeoutOption,
	]),
];

/**
 * The instance as DescribeAIAgentInstance returns it, with UserData parsed, RTC AuthTokens
 * masked and CallLogUrl without its signature (use Get Call Log to read the log).
 */
export async function execute(
	this: IExecuteFunctions,
	archive: ArchiveContext,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const instanceId = requiredString(this, 'instanceId', 'Instance ID', itemIndex);
	const instance = await describeInstance(archive.client, instanceId);
	return [{ json: instanceOutput(instance, identifyInstance({ instance, describedId: instanceId })), pairedItem: { item: itemIndex } }];
}
