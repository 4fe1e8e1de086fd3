import type { IDataObject } from 'n8n-workflow';

import { instanceIdFromCallLogUrl } from './instance';

const RUNTIME_SECTIONS = ['VoiceChat', 'VisionChat', 'AvatarChat3D', 'MessageChat'];

/** The RTC channel of a call: one per instance, present from the call's start in list and describe answers. */
function channelIdOf(instance: IDataObject): string | undefined {
	const config = instance.RuntimeConfig as IDataObject | undefined;
	if (!config || typeof config !== 'object') return undefined;
	for (const section of [config, ...RUNTIME_SECTIONS.map((name) => config[name] as IDataObject | undefined)]) {
		const value = section && typeof section === 'object' ? section.ChannelId : undefined;
		if (typeof value === 'string' && value.trim()) return value.trim();
	}
	return undefined;
}

/** FNV-1a, 52 bits: a short, stable digest for the last-resort key (node code has no crypto import). */
function digest(text: string): string {
	let hash = 0xcbf29ce484222325n;
	for (let i = 0; i < text.length; i++) {
		hash ^= BigInt(text.charCodeAt(i));
		hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
	}
	return (hash >> 12n).toString(36);
}

/**
 * Identity of one ListAIAgentInstance item, which has no InstanceId. It must stay the same
 * while the call runs and after it ends, so the RTC ChannelId comes first (the list carries it
 * in both states, while CallLogUrl is often empty until the call ends); then the id in the
 * CallLogUrl; then a digest of the fields that do not change (RuntimeConfig, UserData).
 */
export function listItemKey(instance: IDataObject): string {
	const channel = channelIdOf(instance);
	if (channel) return `ch:${channel}`;
	const id = instanceIdFromCallLogUrl(instance.CallLogUrl);
	if (id) return `id:${id}`;
	return `h:${digest(JSON.stringify([instance.RuntimeConfig ?? null, instance.UserData ?? null]))}`;
}
