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
 * Where an output's `instanceId` came from, most trusted first: the API's own `InstanceId`
 * field (list items have none today), the id the DescribeAIAgentInstance call was made with,
 * the call log's own `instanceid`, or the CallLogUrl when its path has a known layout.
 */
export type InstanceIdSource = 'instance' | 'describe' | 'callLog' | 'callLogUrl';

export interface InstanceIdentity {
	instanceId: string | null;
	/** null when no source named the instance; then `instanceId` is null too. */
	instanceIdSource: InstanceIdSource | null;
}

/**
 * CallLogUrl layouts whose path names the instance. Its format is undocumented: the SDK's
 * example is `…/call_logs/12345.json` (the metadata's `…/call_logs/12345`), and a per-instance
 * folder `…/<id>/calllog.json` is the other plausible OSS key. Any other layout (say a hashed
 * key) names nothing, so no id is guessed from it. Ids are path-safe tokens; the API's look
 * like 32 hex digits.
 */
const CALL_LOG_URL_LAYOUTS: RegExp[] = [
	/\/call_?logs\/([A-Za-z0-9][A-Za-z0-9_-]{2,127})(?:\.json)?$/i,
	/\/([A-Za-z0-9][A-Za-z0-9_-]{2,127})\/call_?log\.json$/i,
];

/** The instance id a CallLogUrl names, when its path has a known layout; otherwise null. */
export function instanceIdFromCallLogUrl(url: unknown): string | null {
	if (typeof url !== 'string' || !url) return null;
	let path: string;
	try {
		path = decodeURIComponent(new URL(url).pathname);
	} catch {
		return null;
	}
	for (const layout of CALL_LOG_URL_LAYOUTS) {
		const match = layout.exec(path);
		if (match) return match[1];
	}
	return null;
}

function nonEmpty(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** Picks the instance id from the most trusted source at hand (see InstanceIdSource). */
export function identifyInstance(sources: {
	instance?: IDataObject;
	describedId?: string;
	callLog?: IDataObject;
}): InstanceIdentity {
	const candidates: Array<[InstanceIdSource, string | null | undefined]> = [
		['instance', nonEmpty(sources.instance?.InstanceId)],
		['describe', nonEmpty(sources.describedId)],
		['callLog', nonEmpty(sources.callLog?.instanceid)],
		['callLogUrl', instanceIdFromCallLogUrl(sources.instance?.CallLogUrl)],
	];
	for (const [source, id] of candidates) if (id) return { instanceId: id, instanceIdSource: source };
	return { instanceId: null, instanceIdSource: null };
}

/**
 * The conversation key List Dialogues needs: the instance's `SessionId` when the API gives one
 * (Describe does; the doc says it is empty by default), never the instance id in its place.
 */
export function sessionIdOf(instance: IDataObject | undefined): string | undefined {
	return nonEmpty(instance?.SessionId);
}

/**
 * An instance as the API returns it, made safe to output: `instanceId` and its source first, UserData
 * parsed, AuthTokens masked and the signed CallLogUrl cut to its origin and path.
 */
export function instanceOutput(instance: IDataObject, identity: InstanceIdentity | string | null): IDataObject {
	// A bare string is the id the Describe call was made with.
	const { instanceId, instanceIdSource } =
		typeof identity === 'string' || identity === null
			? { instanceId: identity, instanceIdSource: identity === null ? null : ('describe' as const) }
			: identity;
	const output: IDataObject = { instanceId, instanceIdSource };
	for (const [key, value] of Object.entries(instance)) {
		if (key === 'CallLogUrl') output[key] = typeof value === 'string' && value ? redactUrl(value) : value;
		else if (key === 'UserData') output[key] = parseUserData(value) as IDataObject;
		else output[key] = withoutAuthTokens(value) as IDataObject;
	}
	return output;
}
