import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

/**
 * Envelope fields that would identify one delivery. The documented envelope has none
 * (reference 1.5: aiAgentId, instanceId, event, data), so they are used only when a sender adds
 * them. Ids inside `data` are not used: they describe the data (the documentation's chat_record
 * example carries the requestId of the dialogue query), and two deliveries sharing one would
 * lose the second.
 */
const ID_FIELDS = ['eventId', 'callbackId', 'messageId', 'requestId', 'id'];
const TIME_FIELDS = ['timestamp', 'eventTime', 'time'];
/** Longer own ids are hashed, so a key stays short whatever the sender puts there. */
const MAX_OWN_VALUE_LENGTH = 128;

function sha256(text: string): string {
	return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** JSON with object keys sorted, so the same callback hashes the same however it was serialised. */
function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value && typeof value === 'object') {
		const entries = Object.keys(value)
			.sort()
			.map((key) => `${JSON.stringify(key)}:${canonicalJson((value as IDataObject)[key])}`);
		return `{${entries.join(',')}}`;
	}
	return JSON.stringify(value) ?? 'null';
}

function ownField(payload: IDataObject, names: string[]): { name: string; value: string } | undefined {
	for (const name of names) {
		for (const key of [name, name.charAt(0).toUpperCase() + name.slice(1)]) {
			const value = payload[key];
			if ((typeof value === 'string' && value.trim() !== '') || (typeof value === 'number' && Number.isFinite(value))) {
				const text = String(value);
				return { name: key, value: text.length > MAX_OWN_VALUE_LENGTH ? `sha256:${sha256(text).slice(0, 32)}` : text };
			}
		}
	}
	return undefined;
}

/**
 * What tells one delivery from another: `<event>:<instanceId>:` then the callback's own id
 * (`requestId=…`), else its own timestamp (`timestamp=…`), else a hash of the whole body
 * (`sha256=…`). A repeat of the same callback yields the same key.
 */
export function deliveryKey(payload: IDataObject): string {
	const event = String(payload.event);
	const instanceId = typeof payload.instanceId === 'string' || typeof payload.instanceId === 'number' ? String(payload.instanceId) : '-';
	const own = ownField(payload, ID_FIELDS) ?? ownField(payload, TIME_FIELDS);
	const tail = own ? `${own.name}=${own.value}` : `sha256=${sha256(canonicalJson(payload)).slice(0, 32)}`;
	return `${event}:${instanceId}:${tail}`;
}

/** A fixed-size digest of a key, for what is kept in static data. */
export function rememberedDigest(key: string): string {
	return createHash('sha256').update(key, 'utf8').digest('base64url').slice(0, 16);
}
