import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { listInstancesPage } from '../../AlibabaIceArchive/helpers/api';
import { identifyInstance } from '../../AlibabaIceArchive/helpers/instance';
import { listItemKey } from '../../AlibabaIceArchive/helpers/listItemKey';
import { type AlibabaClient, Semaphore } from '../../shared/transport';
import type { TriggerParameters } from '../settings';
import { inspect } from './observe';
import { callItem } from './output';
import { isRunning } from './plan';

const PAGE_SIZE = 20;
const MAX_PAGES = 5;

/**
 * "Fetch Test Event": the newest finished call, so the user sees real data while building
 * the workflow. It reads no state and writes none, as n8n's own polling triggers do in
 * manual mode; a log that fails is shown with its callLogError instead of failing the test.
 */
export async function newestFinishedCall(
	client: AlibabaClient,
	params: TriggerParameters,
): Promise<INodeExecutionData[][] | null> {
	let found: IDataObject | undefined;
	for (let page = 1; page <= MAX_PAGES && !found; page++) {
		const items = await listInstancesPage(client, { aiAgentId: params.aiAgentId }, page, PAGE_SIZE);
		found = items.find((item) => !isRunning(typeof item.Status === 'string' ? item.Status : null));
		if (items.length < PAGE_SIZE) break;
	}
	if (!found) return null;
	const observation = await inspect(
		client,
		new Semaphore(1),
		{
			key: listItemKey(found),
			instanceId: identifyInstance({ instance: found }).instanceId,
			status: null,
			createdFrom: 0,
			createdBy: 0,
		},
		found,
		params,
	);
	const item = callItem(
		{
			instance: found,
			knownId: observation.call.instanceId,
			callLog: observation.callLog,
			callLogError: observation.outcome.kind === 'failed' ? observation.outcome.error : undefined,
		},
		params.includeRawCallLog,
	);
	return [[{ json: item }]];
}
