import { NodeOperationError, type IPollFunctions } from 'n8n-workflow';

import { concurrencyOf, downloadSettingsOf, optionsOf, timeoutMsOf, type ArchiveOptions } from '../AlibabaIceArchive/helpers/options';
import type { DownloadSettings } from '../AlibabaIceArchive/helpers/callLog';
import { parseTime } from '../AlibabaIceArchive/helpers/time';
import { numericOption, type NumericRule } from '../shared/options/numericOption';
import { DEFAULT_LOG_RETRIES, DEFAULT_MAX_WAIT_HOURS, DEFAULT_OVERLAP_MINUTES } from './description';
import type { PollSettings } from './poll/plan';

interface TriggerOptions extends ArchiveOptions {
	includeRawCallLog?: boolean;
	logRetries?: number;
	maxWaitHours?: number;
	overlapMinutes?: number;
}

export interface TriggerParameters extends PollSettings {
	aiAgentId: string;
	/** Unix ms, or null for "from activation". */
	startFrom: number | null;
	includeRawCallLog: boolean;
	concurrency: number;
	download: DownloadSettings;
	/** For every call of the poll: the wait for an answer to start, and the longest silence within one. */
	timeoutMs: number;
}

/**
 * 0 is a real choice for retries and overlap (none), not for Max Wait: it would output every
 * running call at first sight, without its log.
 */
export const MAX_WAIT_RULE: NumericRule = {
	label: 'Max Wait For Unfinished Call (Hours)',
	default: DEFAULT_MAX_WAIT_HOURS,
	min: 0.0001,
	max: 720,
};
export const LOG_RETRIES_RULE: NumericRule = {
	label: 'Log Download Retries',
	default: DEFAULT_LOG_RETRIES,
	min: 0,
	max: 100,
	integer: true,
};
export const OVERLAP_RULE: NumericRule = { label: 'Overlap Window (Minutes)', default: DEFAULT_OVERLAP_MINUTES, min: 0, max: 1440 };

export function readParameters(ctx: IPollFunctions): TriggerParameters {
	const aiAgentId = String(ctx.getNodeParameter('aiAgentId', '') ?? '').trim();
	if (!aiAgentId) {
		throw new NodeOperationError(ctx.getNode(), 'AI Agent ID is empty', {
			description: 'Enter the ID of the AI agent whose calls should start the workflow.',
		});
	}
	const options = optionsOf(ctx.getNodeParameter('options', {})) as TriggerOptions;
	const node = ctx.getNode();
	const startFrom = parseTime(ctx, ctx.getNodeParameter('startFrom', ''), 'Start From', 0);
	return {
		aiAgentId,
		startFrom: startFrom ?? null,
		includeCallLog: ctx.getNodeParameter('includeCallLog', true) !== false,
		includeRawCallLog: options.includeRawCallLog === true,
		concurrency: concurrencyOf(node, options),
		download: downloadSettingsOf(node, options),
		timeoutMs: timeoutMsOf(node, options),
		maxWaitMs: numericOption(node, options.maxWaitHours, MAX_WAIT_RULE) * 3_600_000,
		logRetries: numericOption(node, options.logRetries, LOG_RETRIES_RULE),
		overlapMs: numericOption(node, options.overlapMinutes, OVERLAP_RULE) * 60_000,
	};
}
