import type { IDataObject } from 'n8n-workflow';

import { redactUrl } from '../../shared/transport';

export const REDACTED = '***';

/** RuntimeConfig carries RTC AuthTokens that let anyone join the call's channel: never output them. */
function withoutAuthTokens(value: unknown): unknown {
	if (Array.isArray(value)) return value.map(withoutAuthTokens);
	if (!value || typeof value !== 'object') return value;
	const copy: IDataObject = {};
	for (const [key, inner] of Object.entries(value as IDataObject)) {
		copy[key] = (key === 'AuthToken' && typeof inner === 'string' && inner ? REDACTED : withoutAuthTokens(inner)) as IDataObject;
	}
	return copy;
}

/** UserData is a JSON string by convention; a plain string stays as it is. */
function parseUserData(value: unknown): unknown {
	if (typeof value !== 'string') return value;
	const text = value.trim();
	if (!text.startsWith('{') && !text.startsWith('[')) return value;
	try {
		return JSON.parse(text) as unknown;
	} catch {
		return value;
	}
}

/**
 * The last path segment without `.json`: the emulator's and the documented example URLs
 * end in `<instanceId>.json`. Only a fallback for list items, which carry no InstanceId.
 */
export function instanceIdFromCallLogUrl(url: unknown): string | null {
	if (typeof url !== 'string' || !url) return null;
	try {
		const segment = new URL(url).pathname.split('/').filter(Boolean).pop() ?? '';
		const id = decodeURIComponent(segment).replace(/\.json$/i, '');
		return id || null;
	} catch {
		return null;
	}
}

/**
 * An instance as the API returns it, made safe to output: `instanceId` first, UserData
 * parsed, AuthTokens masked and the signed CallLogUrl cut to its origin and path.
 */
export function instanceOutput(instance: IDataObject, instanceId: string | null): IDataObject {
	const output: IDataObject = { instanceId };
	for (const [key, value] of Object.entries(instance)) {
		if (key === 'CallLogUrl') output[key] = typeof value === 'string' && value ? redactUrl(value) : value;
		else if (key === 'UserData') output[key] = parseUserData(value) as IDataObject;
		else output[key] = withoutAuthTokens(value) as IDataObject;
	}
	return output;
}
