import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import { conversationFromIceLogParts } from '../../shared/conversation';
import { type DownloadSettings, type ParsedCallLog, readCallLog } from '../helpers/callLog';
import { callOutput } from '../helpers/callOutput';
import { mapConcurrent } from '../../shared/transport/concurrency';
import { errorSummary } from '../../shared/transport/errors';
import type { ArchiveContext } from '../helpers/context';
import { identifyInstance, instanceOutput, sessionIdOf } from '../helpers/instance';
import { listInstancesInRange } from '../helpers/instanceRange';
import { concurrencyOf, downloadSettingsOf, optionsOf, pageSizeOf } from '../helpers/options';
import { requiredString } from '../helpers/parameters';
import { parseTime } from '../helpers/time';
import {
	aiAgentIdProperty,
	allowedDownloadHostsOption,
	concurrencyOption,
	includeRawCallLogOption,
	downloadDeadlineOption,
	maxDownloadSizeOption,
	optionsCollection,
	pageSizeOption,
	returnAllAndLimit,
	showFor,
	timeoutOption,
} from './common.description';

export const description: INodeProperties[] = [
	{ ...aiAgentIdProperty('whose calls to list'), displayOptions: showFor('listInstances') },
	{
		displayName: 'Start Time',
		name: 'startTime',
		type: 'dateTime',
		default: '',
		description: 'Only calls created at or after this time. Leave empty for no lower bound.',
		displayOptions: showFor('listInstances'),
	},
	{
		displayName: 'End Time',
		name: 'endTime',
		type: 'dateTime',
		default: '',
		description: 'Only calls created at or before this time. Leave empty for no upper bound.',
		displayOptions: showFor('listInstances'),
	},
	...returnAllAndLimit('listInstances'),
	optionsCollection('listInstances', [
		allowedDownloadHostsOption,
		concurrencyOption,
		{
			displayName: 'Include Call Log',
			name: 'includeCallLog',
			type: 'boolean',
			default: false,
			description:
				'Whether to download each finished call\'s log and add it as "conversation" (one download per instance, several at a time up to Concurrency)',
		},
		includeRawCallLogOption,
		downloadDeadlineOption,
		maxDownloadSizeOption,
		pageSizeOption,
		timeoutOption,
	]),
];

function callLogUrlOf(instance: IDataObject): string {
	return typeof instance.CallLogUrl === 'string' ? instance.CallLogUrl.trim() : '';
}

/**
 * Adds `conversation` to one list item. The list has no InstanceId, so the id comes from the
 * log's `instanceid`, else from the CallLogUrl path. A log that fails becomes `callLogError`
 * under continue-on-fail, so one expired link does not hide the rest of the listing.
 */
async function withConversation(
	ctx: IExecuteFunctions,
	archive: ArchiveContext,
	instance: IDataObject,
	settings: DownloadSettings,
	keepRaw: boolean,
): Promise<IDataObject> {
	const listed = identifyInstance({ instance });
	const url = callLogUrlOf(instance);
	if (!url || instance.Status === 'Executing' || instance.Status === 'Created') {
		return { ...instanceOutput(instance, listed), conversation: null };
	}
	const withLog = (log: ParsedCallLog): IDataObject => {
		const identity = identifyInstance({ instance, callLog: log.header });
		const id = identity.instanceId ?? undefined;
		// The listing's own fields stay (it is what List Instances is for); the call-level ones come after.
		return {
			...instanceOutput(instance, identity),
			...callOutput({
				...identity,
				status: instance.Status,
				conversation: conversationFromIceLogParts(log.header, log.sentences, sessionIdOf(instance), id),
				agentUserId: log.header.agentUserId,
				callLog: log.raw,
				includeRawCallLog: keepRaw,
			}),
		};
	};
	const download = async () =>
		await archive.downloads.run(
			async () => await readCallLog(archive.client, url, listed.instanceId ?? '(id not known yet)', settings, keepRaw),
		);
	if (!ctx.continueOnFail()) return withLog(await download());
	try {
		return withLog(await download());
	} catch (error) {
		return { ...instanceOutput(instance, listed), conversation: null, callLogError: errorSummary(error) };
	}
}

/** ListAIAgentInstance reports no total, so paging stops on the first short page of each range. */
export async function execute(
	this: IExecuteFunctions,
	archive: ArchiveContext,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const aiAgentId = requiredString(this, 'aiAgentId', 'AI Agent ID', itemIndex);
	const options = optionsOf(this.getNodeParameter('options', itemIndex, {}));
	const start = parseTime(this, this.getNodeParameter('startTime', itemIndex, ''), 'Start Time', itemIndex);
	const end = parseTime(this, this.getNodeParameter('endTime', itemIndex, ''), 'End Time', itemIndex);
	if (start !== undefined && end !== undefined && start > end) {
		throw new NodeOperationError(this.getNode(), 'Start Time is after End Time', { itemIndex });
	}
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	// Split past the 100-page cap and de-duplicated across pages (see instanceRange.ts).
	const listed = await listInstancesInRange(archive.client, {
		aiAgentId,
		range: { startMs: start, endMs: end },
		// One size for every page (page N starts at (N-1)*size); no bigger than the limit needs.
		pageSize: Math.min(pageSizeOf(this.getNode(), options, itemIndex), limit ?? Number.POSITIVE_INFINITY),
		order: 'newestFirst',
		limit,
		now: Date.now(),
	});
	const instances = listed.map(({ item }) => item);

	const rows = options.includeCallLog
		? await mapConcurrent(
				instances,
				concurrencyOf(this.getNode(), options, itemIndex),
				async (instance) =>
					await withConversation(
						this,
						archive,
						instance,
						downloadSettingsOf(this.getNode(), options, itemIndex),
						options.includeRawCallLog === true,
					),
			)
		: instances.map((instance) => instanceOutput(instance, identifyInstance({ instance })));
	return rows.map((json) => ({ json, pairedItem: { item: itemIndex } }));
}
