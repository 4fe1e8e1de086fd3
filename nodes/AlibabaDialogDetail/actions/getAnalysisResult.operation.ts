import {
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
} from 'n8n-workflow';

import {
	type AlibabaClient,
	DEFAULT_CONCURRENCY,
	DEFAULT_MAX_DOWNLOAD_BYTES,
	type DownloadPolicy,
	downloadJson,
} from '../../shared/transport';
import {
	aboutSession,
	type DialogAnalysisEntry,
	type DialogAnalysisQuery,
	getDialogAnalysisResult,
	INLINE_SESSION_LIMIT,
	URL_SESSION_LIMIT,
} from '../helpers/dianjinApi';
import { mapConcurrent } from '../../shared/transport/concurrency';
import {
	CONCURRENCY_RULE,
	DOWNLOAD_DEADLINE_RULE,
	downloadDeadlineProperty,
	MAX_DOWNLOAD_SIZE_RULE,
	TIMEOUT_RULE,
	timeoutProperty,
} from '../../shared/options/limitOptions';
import { numericOption } from '../../shared/options/numericOption';
import { requiredText, sessionIdList } from '../helpers/parameters';
import { formatBeijing } from '../helpers/beijingTime';
import { DEFAULT_MAX_RANGE_CALLS, isTooManySessions, type RangeAnswer, readRangeInFull } from '../helpers/rangeSplit';
import { analysisTimeRange } from '../helpers/timeRange';

const show = { operation: ['getAnalysisResult'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Select By',
		name: 'selectBy',
		type: 'options',
		noDataExpression: true,
		default: 'sessionIds',
		options: [
			{ name: 'Session IDs', value: 'sessionIds', description: 'The sessions whose IDs you list' },
			{
				name: 'Time Range',
				value: 'timeRange',
				description: 'Every session created in a time range, e.g. yesterday for a daily scheduled workflow',
			},
		],
		displayOptions: { show },
	},
	{
		displayName: 'Session IDs',
		name: 'sessionIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1906623923815534001, 1906623923815534002',
		description: 'Session IDs separated by commas, spaces or new lines, or an expression that returns an array',
		displayOptions: { show: { ...show, selectBy: ['sessionIds'] } },
	},
	{
		displayName: 'Start Time',
		name: 'startTime',
		type: 'dateTime',
		required: true,
		default: '',
		description:
			"Sessions created at or after this time. A time without a zone is read in the workflow's time zone; DianJin receives it in Beijing time (UTC+8), where it runs.",
		displayOptions: { show: { ...show, selectBy: ['timeRange'] } },
	},
	{
		displayName: 'End Time',
		name: 'endTime',
		type: 'dateTime',
		required: true,
		default: '',
		description:
			"Sessions created at or before this time (inclusive, to the second). A time without a zone is read in the workflow's time zone; DianJin receives it in Beijing time (UTC+8).",
		displayOptions: { show: { ...show, selectBy: ['timeRange'] } },
	},
	{
		displayName: 'Delivery',
		name: 'delivery',
		type: 'options',
		noDataExpression: true,
		default: 'url',
		options: [
			{
				name: 'Via File (Up to 1000 Sessions)',
				value: 'url',
				description:
					'DianJin answers with a one-hour link per session; the node downloads each file and outputs the analysis itself',
			},
			{
				name: 'Inline (Up to 10 Sessions)',
				value: 'inline',
				description: 'DianJin puts the analysis in its answer, but allows at most 10 sessions per call',
			},
		],
		description: 'How DianJin hands over the analysis. Either way the output holds the analysis, never a link.',
		displayOptions: { show },
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		description: 'Max number of results to return',
		displayOptions: { show: { ...show, returnAll: [false] } },
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
				displayName: 'Allowed Download Hosts',
				name: 'allowedDownloadHosts',
				type: 'string',
				default: '',
				placeholder: 'e.g. files.example.com, *.example.org',
				description:
					'Hosts besides Alibaba Cloud (*.aliyuncs.com) that analysis files may be downloaded from, separated by commas. Only HTTPS links are followed.',
			},
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				default: DEFAULT_CONCURRENCY,
				typeOptions: { minValue: 1, maxValue: 50 },
				description: 'How many analysis files are downloaded at the same time',
			},
			downloadDeadlineProperty,
			{
				displayName: 'Max Calls per Time Range',
				name: 'maxCalls',
				type: 'number',
				default: DEFAULT_MAX_RANGE_CALLS,
				typeOptions: { minValue: 1, maxValue: 5000 },
				description:
					'DianJin returns at most 10 (Inline) or 1000 (Via File) sessions per call, so a busy time range is split into several calls. If more calls than this would be needed, the node fails instead of returning an incomplete list.',
				displayOptions: { show: { '/selectBy': ['timeRange'] } },
			},
			{
				displayName: 'Max Download Size (MB)',
				name: 'maxDownloadSizeMb',
				type: 'number',
				default: 50,
				typeOptions: { minValue: 0.001, numberPrecision: 3 },
				description: 'Largest analysis file the node downloads; a bigger one fails the item',
			},
			{
				displayName: 'Oldest First',
				name: 'oldestFirst',
				type: 'boolean',
				default: true,
				description: 'Whether sessions come oldest first (otherwise newest first); Limit keeps the first ones',
			},
			timeoutProperty(),
		],
	},
];

interface AnalysisOptions {
	allowedDownloadHosts?: string;
	concurrency?: number;
	downloadDeadline?: number;
	maxCalls?: number;
	maxDownloadSizeMb?: number;
	oldestFirst?: boolean;
	timeout?: number;
}

const DELIVERY_LIMITS = { url: URL_SESSION_LIMIT, inline: INLINE_SESSION_LIMIT };

function sessionQuery(ctx: IExecuteFunctions, itemIndex: number, useUrl: boolean): string[] {
	const ids = sessionIdList(ctx, 'sessionIds', itemIndex);
	if (ids.length === 0) {
		throw new NodeOperationError(ctx.getNode(), 'No session IDs given', {
			itemIndex,
			description: 'Enter one or more session IDs, or choose Select By "Time Range".',
		});
	}
	const limit = DELIVERY_LIMITS[useUrl ? 'url' : 'inline'];
	if (ids.length > limit) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${ids.length} session IDs given, but DianJin returns at most ${limit} per call with ${useUrl ? 'Via File' : 'Inline'} delivery`,
			{
				itemIndex,
				description: useUrl
					? `Split the IDs over several items of at most ${URL_SESSION_LIMIT} each.`
					: `Choose Delivery "Via File", which allows up to ${URL_SESSION_LIMIT} sessions, or split the IDs over items of at most ${INLINE_SESSION_LIMIT}.`,
			},
		);
	}
	return ids;
}

/** Names a few sessions in full; a long list would drown the error message. */
function namedSessions(ids: string[]): string {
	if (ids.length === 1) return `session ${ids[0]}`;
	if (ids.length <= 3) return `sessions ${ids.join(', ')}`;
	return `${ids.length} sessions from ${ids[0]}`;
}

/** The downloaded file is the `analysisResp` object; a wrapper holding it is accepted too. */
function analysisOf(client: AlibabaClient, content: unknown, sessionId: string): IDataObject {
	if (content && typeof content === 'object' && !Array.isArray(content)) {
		const wrapped = (content as IDataObject).analysisResp;
		if (wrapped && typeof wrapped === 'object' && !Array.isArray(wrapped)) return wrapped as IDataObject;
		return content as IDataObject;
	}
	return client.fail({
		code: 'InvalidAnalysisFile',
		message: `The analysis file of session ${sessionId} is not a JSON object, so it holds no analysis.`,
		operation: `Download of the analysis file of session ${sessionId}`,
	});
}

async function sessionRow(
	client: AlibabaClient,
	entry: DialogAnalysisEntry,
	policy: Omit<DownloadPolicy, 'what'>,
): Promise<IDataObject> {
	const sessionId = String(entry.sessionId ?? '');
	const row: IDataObject = { sessionId, gmtCreate: entry.gmtCreate ?? null, status: entry.status ?? null };
	// Sessions still being analysed (init, pending, running) or failed (error) keep their status only.
	if (String(entry.status ?? '').toLowerCase() !== 'success') return row;
	if (entry.analysisResp && typeof entry.analysisResp === 'object') {
		row.analysis = entry.analysisResp;
	} else if (typeof entry.ossUrl === 'string' && entry.ossUrl) {
		const content = await downloadJson(client, entry.ossUrl, {
			...policy,
			what: `the analysis file of session ${sessionId}`,
		});
		row.analysis = analysisOf(client, content, sessionId);
	}
	return row;
}

/**
 * Every session of a time range. DianJin answers at most 10 (inline) or 1000 (via URL)
 * sessions per call and, as documented, drops the rest without a word; the range is split
 * until each part is below that cap (see readRangeInFull), so Return All is complete.
 */
async function wholeTimeRange(
	ctx: IExecuteFunctions,
	client: AlibabaClient,
	workspaceId: string,
	query: DialogAnalysisQuery,
	settings: { limit?: number; maxCalls?: number; itemIndex: number },
): Promise<DialogAnalysisEntry[]> {
	const { startMs, endMs } = analysisTimeRange(ctx, settings.itemIndex);
	const cap = query.useUrl ? URL_SESSION_LIMIT : INLINE_SESSION_LIMIT;
	const maxCalls = settings.maxCalls ?? DEFAULT_MAX_RANGE_CALLS;
	// A refusal for too many sessions is an answer too (split further); any other error stays one.
	const fetch = async (start: number, end: number): Promise<RangeAnswer> =>
		await getDialogAnalysisResult(client, workspaceId, {
			...query,
			startTime: formatBeijing(start),
			endTime: formatBeijing(end),
		}).catch(async (error: unknown): Promise<RangeAnswer> => (isTooManySessions(error) ? 'tooMany' : await Promise.reject(error)));
	const result = await readRangeInFull(fetch, startMs, endMs, { cap, asc: query.asc, limit: settings.limit, maxCalls });
	if ('entries' in result) return result.entries;
	throw new NodeOperationError(ctx.getNode(), result.failure.message, {
		itemIndex: settings.itemIndex,
		description:
			result.failure.reason === 'maxCalls'
				? `Nothing was output, so no session is silently missing. Raise the option "Max Calls per Time Range" (now ${maxCalls}), choose a shorter time range (e.g. run the workflow more often), or use Delivery "Via File", which takes up to ${URL_SESSION_LIMIT} sessions per call.`
				: query.useUrl || result.failure.reason === 'inconsistent'
					? 'Nothing was output, so no session is silently missing. DianJin cannot list these sessions by time; select them by Session IDs instead.'
					: `Nothing was output, so no session is silently missing. Use Delivery "Via File", which takes up to ${URL_SESSION_LIMIT} sessions per call.`,
	});
}

export async function execute(
	this: IExecuteFunctions,
	client: AlibabaClient,
	itemIndex: number,
): Promise<INodeExecutionData[]> {
	const workspaceId = requiredText(this, 'workspaceId', 'Workspace ID', itemIndex);
	const selectBy = this.getNodeParameter('selectBy', itemIndex, 'sessionIds') as string;
	const useUrl = this.getNodeParameter('delivery', itemIndex, 'url') !== 'inline';
	const returnAll = this.getNodeParameter('returnAll', itemIndex, false) as boolean;
	const options = this.getNodeParameter('options', itemIndex, {}) as AnalysisOptions;
	const node = this.getNode();

	const query: DialogAnalysisQuery = { useUrl, asc: options.oldestFirst !== false };
	let subject: string;
	if (selectBy === 'timeRange') {
		const { startTime, endTime } = analysisTimeRange(this, itemIndex);
		Object.assign(query, { startTime, endTime });
		subject = `sessions created ${query.startTime} to ${query.endTime} Beijing time in workspace ${workspaceId}`;
	} else {
		const ids = sessionQuery(this, itemIndex, useUrl);
		query.sessionIds = ids;
		subject = `${namedSessions(ids)} in workspace ${workspaceId}`;
	}

	const limit = returnAll ? undefined : (this.getNodeParameter('limit', itemIndex, 50) as number);
	let entries: DialogAnalysisEntry[];
	try {
		entries =
			selectBy === 'timeRange'
				? await wholeTimeRange(this, client, workspaceId, query, { limit, maxCalls: numericOption(
							this.getNode(),
							options.maxCalls,
							{ label: 'Max Calls per Time Range', default: DEFAULT_MAX_RANGE_CALLS, min: 1, max: 5000, integer: true },
							itemIndex,
						), itemIndex })
				: await getDialogAnalysisResult(client, workspaceId, query);
	} catch (error) {
		throw aboutSession(error, subject);
	}
	if (limit !== undefined) entries = entries.slice(0, limit);

	const policy = {
		allowedHosts: String(options.allowedDownloadHosts ?? '')
			.split(',')
			.map((host) => host.trim())
			.filter(Boolean),
		maxBytes: Math.round(
			numericOption(
				node,
				options.maxDownloadSizeMb,
				{ ...MAX_DOWNLOAD_SIZE_RULE, default: DEFAULT_MAX_DOWNLOAD_BYTES / 1024 / 1024 },
				itemIndex,
			) *
				1024 *
				1024,
		),
		limits: {
			idleMs: numericOption(node, options.timeout, TIMEOUT_RULE, itemIndex) * 1000,
			deadlineMs: numericOption(node, options.downloadDeadline, DOWNLOAD_DEADLINE_RULE, itemIndex) * 1000,
		},
	};
	const concurrency = numericOption(
		node,
		options.concurrency,
		{ ...CONCURRENCY_RULE, default: DEFAULT_CONCURRENCY },
		itemIndex,
	);
	const rows = await mapConcurrent(entries, concurrency, async (entry) =>
		await sessionRow(client, entry, policy),
	);
	return rows.map((json) => ({ json, pairedItem: { item: itemIndex } }));
}
