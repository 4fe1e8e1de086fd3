import { NodeOperationError, type IPollFunctions } from 'n8n-workflow';

import { concurrencyOf, downloadSettingsOf, optionsOf, type ArchiveOptions } from '../AlibabaIceArchive/helpers/options';
import type { DownloadSettings } from '../AlibabaIceArchive/helpers/callLog';
import { parseTime } from '../AlibabaIceArchive/helpers/time';
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
}

function nonNegative(value: unknown, fallback: number): number {
	const number = Number(value ?? fallback);
	return Number.isFinite(number) && number >= 0 ? number : fallback;
}

export function readParameters(ctx: IPollFunctions): TriggerParameters {
	const aiAgentId = String(ctx.getNodeParameter('aiAgentId', '') ?? '').trim();
	if (!aiAgentId) {
		throw new NodeOperationError(ctx.getNode(), 'AI Agent ID is empty', {
			description: 'Enter the ID of the AI agent whose calls should start the workflow.',
		});
	}
	const options = optionsOf(ctx.getNodeParameter('options', {})) as TriggerOptions;
	const startFrom = parseTime(ctx, ctx.getNodeParameter('startFrom', ''), 'Start From', 0);
	return {
		aiAgentId,
		startFrom: startFrom ?? null,
		includeCallLog: ctx.getNodeParameter('includeCallLog', true) !== false,
		includeRawCallLog: options.includeRawCallLog === true,
		concurrency: concurrencyOf(ctx.getNode(), options),
		download: downloadSettingsOf(ctx.getNode(), options),
		maxWaitMs: nonNegative(options.maxWaitHours, DEFAULT_MAX_WAIT_HOURS) * 3_600_000,
		logRetries: Math.floor(nonNegative(options.logRetries, DEFAULT_LOG_RETRIES)),
		overlapMs: nonNegative(options.overlapMinutes, DEFAULT_OVERLAP_MINUTES) * 60_000,
	};
}
