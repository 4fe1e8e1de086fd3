import type { IDataObject } from 'n8n-workflow';

import { DEFAULT_CONCURRENCY, DEFAULT_MAX_DOWNLOAD_BYTES } from '../../shared/transport';
import type { DownloadSettings } from './callLog';
import { MAX_PAGE_SIZE } from './api';

/** What the operations' "Options" collections can hold; every field is optional in the UI. */
export interface ArchiveOptions {
	allowedDownloadHosts?: string;
	concurrency?: number;
	includeCallLog?: boolean;
	includeRawCallLog?: boolean;
	maxDownloadSizeMb?: number;
	order?: 'ASC' | 'DESC';
	pageSize?: number;
	splitIntoItems?: boolean;
	waitForCallLog?: boolean;
	waitForCallLogSeconds?: number;
}

export const DEFAULT_CALL_LOG_WAIT_SECONDS = 60;

/** How long Get Call Log keeps asking for a log ICE has not written yet; 0 = not at all. */
export function callLogWaitMsOf(options: ArchiveOptions): number {
	if (options.waitForCallLog === false) return 0;
	const seconds = Number(options.waitForCallLogSeconds ?? DEFAULT_CALL_LOG_WAIT_SECONDS);
	return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 1000) : DEFAULT_CALL_LOG_WAIT_SECONDS * 1000;
}

export function concurrencyOf(options: ArchiveOptions): number {
	const value = Math.floor(Number(options.concurrency ?? DEFAULT_CONCURRENCY));
	return Number.isFinite(value) && value >= 1 ? value : DEFAULT_CONCURRENCY;
}

export function pageSizeOf(options: ArchiveOptions): number {
	const value = Math.floor(Number(options.pageSize ?? MAX_PAGE_SIZE));
	return Number.isFinite(value) ? Math.min(MAX_PAGE_SIZE, Math.max(1, value)) : MAX_PAGE_SIZE;
}

export function downloadSettingsOf(options: ArchiveOptions): DownloadSettings {
	const megabytes = Number(options.maxDownloadSizeMb);
	return {
		allowedHosts: String(options.allowedDownloadHosts ?? '')
			.split(/[\s,]+/)
			.map((host) => host.trim())
			.filter(Boolean),
		maxBytes:
			Number.isFinite(megabytes) && megabytes > 0 ? Math.round(megabytes * 1024 * 1024) : DEFAULT_MAX_DOWNLOAD_BYTES,
	};
}

export function optionsOf(value: unknown): ArchiveOptions {
	return value && typeof value === 'object' ? (value as IDataObject as ArchiveOptions) : {};
}
