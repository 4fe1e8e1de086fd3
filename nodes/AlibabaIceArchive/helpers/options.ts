import type { IDataObject, INode } from 'n8n-workflow';

import {
	CONCURRENCY_RULE,
	DOWNLOAD_DEADLINE_RULE,
	MAX_DOWNLOAD_SIZE_RULE,
	TIMEOUT_RULE,
} from '../../shared/options/limitOptions';
import { numericOption } from '../../shared/options/numericOption';

import { DEFAULT_CONCURRENCY, DEFAULT_MAX_DOWNLOAD_BYTES } from '../../shared/transport';
import type { DownloadSettings } from './callLog';
import { MAX_PAGE_SIZE } from './api';

/** What the operations' "Options" collections can hold; every field is optional in the UI. */
export interface ArchiveOptions {
	allowedDownloadHosts?: string;
	concurrency?: number;
	downloadDeadline?: number;
	includeCallLog?: boolean;
	includeRawCallLog?: boolean;
	maxDownloadSizeMb?: number;
	order?: 'ASC' | 'DESC';
	pageSize?: number;
	splitIntoItems?: boolean;
	timeout?: number;
	waitForCallLog?: boolean;
	waitForCallLogSeconds?: number;
}

export const DEFAULT_CALL_LOG_WAIT_SECONDS = 60;

/** How long Get Call Log keeps asking for a log ICE has not written yet; 0 = not at all. */
export function callLogWaitMsOf(node: INode, options: ArchiveOptions, itemIndex?: number): number {
	if (options.waitForCallLog === false) return 0;
	const seconds = numericOption(
		node,
		options.waitForCallLogSeconds,
		{ label: 'Wait For Call Log Seconds', default: DEFAULT_CALL_LOG_WAIT_SECONDS, min: 1, max: 900 },
		itemIndex,
	);
	return Math.round(seconds * 1000);
}

export function concurrencyOf(node: INode, options: ArchiveOptions, itemIndex?: number): number {
	return numericOption(node, options.concurrency, { ...CONCURRENCY_RULE, default: DEFAULT_CONCURRENCY }, itemIndex);
}

export function pageSizeOf(node: INode, options: ArchiveOptions, itemIndex?: number): number {
	return numericOption(
		node,
		options.pageSize,
		{ label: 'Page Size', default: MAX_PAGE_SIZE, min: 1, max: MAX_PAGE_SIZE, integer: true },
		itemIndex,
	);
}

export function timeoutMsOf(node: INode, options: ArchiveOptions, itemIndex?: number): number {
	return numericOption(node, options.timeout, TIMEOUT_RULE, itemIndex) * 1000;
}

export function downloadSettingsOf(node: INode, options: ArchiveOptions, itemIndex?: number): DownloadSettings {
	const megabytes = numericOption(
		node,
		options.maxDownloadSizeMb,
		{ ...MAX_DOWNLOAD_SIZE_RULE, default: DEFAULT_MAX_DOWNLOAD_BYTES / 1024 / 1024 },
		itemIndex,
	);
	return {
		allowedHosts: String(options.allowedDownloadHosts ?? '')
			.split(/[\s,]+/)
			.map((host) => host.trim())
			.filter(Boolean),
		maxBytes: Math.round(megabytes * 1024 * 1024),
		limits: {
			idleMs: timeoutMsOf(node, options, itemIndex),
			deadlineMs: numericOption(node, options.downloadDeadline, DOWNLOAD_DEADLINE_RULE, itemIndex) * 1000,
		},
	};
}

export function optionsOf(value: unknown): ArchiveOptions {
	return value && typeof value === 'object' ? (value as IDataObject as ArchiveOptions) : {};
}
