import type { IDataObject } from 'n8n-workflow';

import { rememberedDigest } from './deliveryKey';

/** Where the memory lives in the node's static data. */
export const MEMORY_KEY = 'recentDeliveries';

/** [digest of the delivery key, ms when the delivery that started the workflow arrived], oldest first. */
type Entry = [string, number];

export interface RepeatSettings {
	windowMs: number;
	maxRemembered: number;
}

function readEntries(stored: unknown): Entry[] {
	if (!Array.isArray(stored)) return [];
	return stored.filter(
		(entry): entry is Entry =>
			Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1] === 'number' && Number.isFinite(entry[1]),
	);
}

/**
 * Whether `key` started the workflow less than the window ago. When it did not, it is
 * remembered as starting now. Entries past the window are dropped, and past `maxRemembered`
 * the oldest go first, so the memory never holds more than `maxRemembered` entries.
 * The list is replaced, never changed in place, so n8n sees that static data changed.
 */
export function isRepeat(staticData: IDataObject, key: string, now: number, settings: RepeatSettings): boolean {
	const digest = rememberedDigest(key);
	const live = readEntries(staticData[MEMORY_KEY]).filter(([, at]) => at > now - settings.windowMs);
	if (live.some(([seen]) => seen === digest)) return true;
	live.push([digest, now]);
	staticData[MEMORY_KEY] = live.slice(-settings.maxRemembered);
	return false;
}
