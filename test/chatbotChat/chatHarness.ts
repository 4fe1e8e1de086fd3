import type { IDataObject } from 'n8n-workflow';

import { streamTokenCache } from '../../nodes/AlibabaChatbotChat/transport/streamAccessToken';
import { AlibabaClient } from '../../nodes/shared/transport';
import { EMULATOR_KEYS, FIXTURES, startEmulator, type Emulator } from '../emulator';
import { emulatorCredentials } from '../helpers/credentials';
import { runNode, type RunOptions } from '../helpers/engine';

export const NODE = 'alibabaChatbotChat';
export const TOKEN_ACTION = 'ApplyForStreamAccessToken';
export const CHAT_ACTION = 'TongyiBeebotChat';

/** One emulator per test file, a clean token cache per test, and every token the node was issued. */
export function useChatEmulator() {
	const state = {} as { emulator: Emulator; issued: IDataObject[] };

	beforeAll(async () => {
		state.emulator = await startEmulator({ port: 0 });
	});
	afterAll(async () => {
		await state.emulator.close();
	});
	beforeEach(() => {
		state.emulator.reset();
		streamTokenCache.clear();
		state.issued = [];
		const rpc = AlibabaClient.prototype.rpc;
		jest.spyOn(AlibabaClient.prototype, 'rpc').mockImplementation(async function (this: AlibabaClient, call) {
			const body = (await rpc.call(this, call)) as IDataObject;
			if (call.action === TOKEN_ACTION) state.issued.push(body);
			return body as never;
		});
	});
	afterEach(() => {
		jest.restoreAllMocks();
	});
	return state;
}

export function credentialsFor(emulator: Emulator) {
	return emulatorCredentials(emulator.url, EMULATOR_KEYS);
}

export function chatParams(overrides: IDataObject = {}): IDataObject {
	return {
		operation: 'sendMessage',
		instanceId: FIXTURES.chatbot.instanceId,
		utterance: '={{ $json.text }}',
		sessionId: '={{ $json.sessionId ?? "" }}',
		agentKey: FIXTURES.chatbot.agentKey,
		...overrides,
	};
}

export async function chat(
	emulator: Emulator,
	input: IDataObject[],
	overrides: IDataObject = {},
	options: Omit<RunOptions, 'nodes' | 'input' | 'credentials'> & { continueOnFail?: boolean } = {},
) {
	return await runNode(NODE, chatParams(overrides), { input, credentials: credentialsFor(emulator), ...options });
}

/** The TongyiBeebotChat requests, with the `value` their body carried. */
export function chatRequests(emulator: Emulator) {
	return emulator.requests
		.filter((request) => request.action === CHAT_ACTION)
		.map((request) => {
			const body = request.json as { messageId: string; data: Array<{ value: string }> };
			const [, , , accessToken, channelId, sign, timestamp] = request.path.split('/');
			return {
				status: request.status,
				messageId: body?.messageId,
				value: JSON.parse(body?.data?.[0]?.value ?? '{}') as IDataObject,
				accessToken,
				channelId,
				sign,
				timestamp,
			};
		});
}

/** Everything secret the node handled: AccessKey secret, issued tokens and secrets, URL signs. */
export function secretsSeen(state: { emulator: Emulator; issued: IDataObject[] }): string[] {
	const values = new Set<string>([EMULATOR_KEYS.accessKeySecret]);
	for (const token of state.issued) {
		values.add(String(token.AccessToken));
		values.add(String(token.StreamSecret));
	}
	for (const request of chatRequests(state.emulator)) {
		values.add(decodeURIComponent(request.accessToken));
		values.add(decodeURIComponent(request.sign));
	}
	return [...values].filter((value) => value.length >= 8);
}

/** Every text a user could see of an error: message, description, stack and serialized fields. */
export function errorText(error: unknown): string {
	const e = error as Error & { description?: string };
	return [e?.message, e?.description, e?.stack, JSON.stringify(error)].join('\n');
}
