import { createHash } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import type { AlibabaClient } from '../../shared/transport';
import { CHATBOT_API_VERSION, TOKEN_ACTION } from './constants';
import { type IssuedToken, type StreamAccessToken, StreamTokenCache } from './tokenCache';

/** Shared by every execution of the node in this n8n process: that is what lets runs reuse a token. */
export const streamTokenCache = new StreamTokenCache();

/**
 * The secret is part of the hashed key so that a credential with the right AccessKey ID but
 * a wrong secret can never pick up a token another credential paid for. With a RAM role the
 * identity is the role settings plus the assumed identity, not the temporary key, which changes.
 */
export function tokenCacheKey(client: AlibabaClient, agentKey: string): string {
	const material = [...client.binding.identity(), client.baseUrl('chatbot'), agentKey]
		.map((value) => String(value ?? ''))
		.join('\n');
	return createHash('sha256').update(material, 'utf8').digest('hex');
}

export async function applyForStreamAccessToken(client: AlibabaClient, agentKey: string): Promise<IssuedToken> {
	const body = await client.rpc<IDataObject>({
		service: 'chatbot',
		action: TOKEN_ACTION,
		version: CHATBOT_API_VERSION,
		params: agentKey ? { AgentKey: agentKey } : {},
	});
	const issued = {
		accessToken: typeof body?.AccessToken === 'string' ? body.AccessToken : '',
		channelId: typeof body?.ChannelId === 'string' ? body.ChannelId : '',
		streamSecret: typeof body?.StreamSecret === 'string' ? body.StreamSecret : '',
	};
	client.addSecret(issued.accessToken, issued.streamSecret);
	if (!issued.accessToken || !issued.channelId || !issued.streamSecret) {
		client.fail({
			code: 'IncompleteStreamToken',
			message:
				'The answer lacks AccessToken, ChannelId or StreamSecret. Check that the Chatbot endpoint in the credential points at the Chatbot API (chatbot.cn-shanghai.aliyuncs.com).',
			requestId: typeof body?.RequestId === 'string' ? body.RequestId : undefined,
			operation: client.operationName('chatbot', TOKEN_ACTION),
		});
	}
	return issued;
}

/** One execution's view of the cache, for one agent key. */
export class StreamTokenSource {
	private readonly key: string;

	private readonly registered = new WeakSet<StreamAccessToken>();

	constructor(
		private readonly client: AlibabaClient,
		private readonly agentKey: string,
		private readonly cache: StreamTokenCache = streamTokenCache,
	) {
		this.key = tokenCacheKey(client, agentKey);
	}

	async get(): Promise<StreamAccessToken> {
		const token = await this.cache.get(this.key, async () => await applyForStreamAccessToken(this.client, this.agentKey));
		// A token issued in an earlier execution must be redacted from this client's errors too.
		if (!this.registered.has(token)) {
			this.registered.add(token);
			this.client.addSecret(token.accessToken, token.streamSecret, token.channelId);
		}
		return token;
	}

	reject(token: StreamAccessToken): void {
		this.cache.invalidate(this.key, token);
	}
}
