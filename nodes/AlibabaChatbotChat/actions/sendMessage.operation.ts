import { type IExecuteFunctions, type INodeExecutionData, NodeOperationError } from 'n8n-workflow';

import { CONCURRENCY_RULE, TIMEOUT_RULE } from '../../shared/options/limitOptions';
import { numericOption } from '../../shared/options/numericOption';
import { AlibabaClient, DEFAULT_CONCURRENCY, runItems } from '../../shared/transport';
import { canStream } from '../helpers/answerStreamer';
import { SessionMemory } from '../helpers/sessionMemory';
import { SessionOrder } from '../helpers/sessionOrder';
import { StreamTokenSource } from '../transport/streamAccessToken';
import { sendChatTurn, type TurnContext } from './chatTurn';
import { type MessageOptions, type PreparedMessage, prepareMessage } from './messageInput';

export { sendMessageProperties as description } from './sendMessage.description';

/**
 * Someone is waiting for the answer, so a failing call is retried briefly, not for long. The
 * stream POST itself is only re-sent when it provably never reached the service (see Delivery).
 */
const CHAT_RETRY = { maxRetries: 2, baseDelayMs: 250, maxDelayMs: 2000 };

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[]> {
	const count = this.getInputData().length;
	// Every item is checked before anything is sent, so a bad item cannot leave a half-sent batch.
	const prepared: Array<PreparedMessage | Error> = [];
	for (let itemIndex = 0; itemIndex < count; itemIndex++) {
		try {
			prepared.push(prepareMessage(this, itemIndex));
		} catch (error) {
			const failure =
				error instanceof NodeOperationError ? error : new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			if (!this.continueOnFail()) throw failure;
			prepared.push(failure);
		}
	}

	const options = (count > 0 ? this.getNodeParameter('options', 0, {}) : {}) as MessageOptions;
	const acrossItems = options.continueAcrossItems === true;
	const node = this.getNode();
	const concurrency = acrossItems
		? 1
		: numericOption(node, options.concurrency, { ...CONCURRENCY_RULE, default: DEFAULT_CONCURRENCY });
	const timeoutMs = numericOption(node, options.timeout, TIMEOUT_RULE) * 1000;
	const client = await AlibabaClient.create(this, { retry: CHAT_RETRY, timeoutMs });
	const streaming = canStream(this);
	const order = new SessionOrder();
	const sources = new Map<string, StreamTokenSource>();
	const tokensFor = (agentKey: string) => {
		let source = sources.get(agentKey);
		if (!source) {
			source = new StreamTokenSource(client, agentKey);
			sources.set(agentKey, source);
		}
		return source;
	};
	let lastSessionId: string | undefined;
	const memory = prepared.some((message) => !(message instanceof Error) && message.memoryKey)
		? new SessionMemory(this.getWorkflowStaticData('node'))
		: undefined;

	return await runItems(
		this,
		async (itemIndex) => {
			const message = prepared[itemIndex];
			if (message instanceof Error) throw message;
			const { memoryKey } = message;
			if (memory && memoryKey) {
				// Messages of one remembered conversation go one after another, so the second of two
				// arriving together continues the session the first one opened.
				return await order.run(`remembered:${memoryKey}`, async () => {
					const request = { ...message.request, SessionId: memory.recall(memoryKey) };
					const turn = { client, tokens: tokensFor(message.agentKey), itemIndex, includeEvents: message.includeEvents, streaming };
					const json = await sendChatTurn(this, turn, request);
					if (typeof json.sessionId === 'string' && json.sessionId) memory.remember(memoryKey, json.sessionId);
					return [{ json, pairedItem: { item: itemIndex } }];
				});
			}
			const request =
				acrossItems && !message.request.SessionId && lastSessionId
					? { ...message.request, SessionId: lastSessionId }
					: message.request;
			const turn: TurnContext = {
				client,
				tokens: tokensFor(message.agentKey),
				itemIndex,
				includeEvents: message.includeEvents,
				streaming,
			};
			const json = await order.run(request.SessionId, async () => await sendChatTurn(this, turn, request));
			if (acrossItems && typeof json.sessionId === 'string') lastSessionId = json.sessionId;
			return [{ json, pairedItem: { item: itemIndex } }];
		},
		concurrency,
	);
}
