import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

export type AlibabaService = 'ice' | 'chatbot' | 'chatbotStream' | 'ccai' | 'dianjin' | 'sts';

/** The credential field that overrides each service's endpoint when "Custom Endpoints" is on. */
export const ENDPOINT_FIELDS: Record<AlibabaService, string> = {
	ice: 'iceEndpoint',
	chatbot: 'chatbotEndpoint',
	chatbotStream: 'chatbotStreamEndpoint',
	ccai: 'ccaiEndpoint',
	dianjin: 'dianjinEndpoint',
	sts: 'stsEndpoint',
};

export const DEFAULT_REGION = 'cn-shanghai';

/**
 * Hosts are set explicitly rather than taken from the SDKs' endpoint maps, which disagree
 * with Alibaba's own metadata (ICE) or fall back to hosts that do not exist (Chatbot, CCAI).
 */
function defaultHost(service: AlibabaService, region: string): string {
	switch (service) {
		case 'ice':
			return `ice.${region}.aliyuncs.com`;
		case 'chatbot':
			return 'chatbot.cn-shanghai.aliyuncs.com';
		case 'chatbotStream':
			return 'alime-ws.aliyuncs.com';
		case 'ccai':
			return 'contactcenterai.cn-shanghai.aliyuncs.com';
		case 'dianjin':
			return 'dianjin.cn-beijing.aliyuncs.com';
		case 'sts':
			return 'sts.aliyuncs.com';
	}
}

function customEndpoint(credentials: ICredentialDataDecryptedObject, service: AlibabaService) {
	if (credentials.customEndpoints !== true) return undefined;
	const value = String(credentials[ENDPOINT_FIELDS[service]] ?? '').trim();
	if (!value) return undefined;
	return /^https?:\/\//i.test(value) ? value : `https://${value}`;
}

/** Base URL without a trailing slash, e.g. `https://ice.cn-shanghai.aliyuncs.com`. */
export function serviceBaseUrl(
	credentials: ICredentialDataDecryptedObject,
	service: AlibabaService,
): string {
	const custom = customEndpoint(credentials, service);
	if (custom) return custom.replace(/\/+$/, '');
	const region = String(credentials.region ?? '').trim() || DEFAULT_REGION;
	return `https://${defaultHost(service, region)}`;
}

/** Origins the user named themselves; downloads from them are trusted like Alibaba's own hosts. */
export function customEndpointOrigins(credentials: ICredentialDataDecryptedObject): string[] {
	const origins = new Set<string>();
	for (const service of Object.keys(ENDPOINT_FIELDS) as AlibabaService[]) {
		const custom = customEndpoint(credentials, service);
		if (!custom) continue;
		try {
			origins.add(new URL(custom).origin);
		} catch {
			// A malformed endpoint fails loudly where it is used; here it just grants nothing.
		}
	}
	return [...origins];
}
