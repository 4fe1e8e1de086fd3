import { type IDataObject, type IExecuteFunctions, NodeOperationError } from 'n8n-workflow';

import type { ChatRequest } from '../transport/chatStream';
import { MAX_UTTERANCE_CHARS } from '../transport/constants';

export interface MessageOptions {
	command?: string;
	concurrency?: number;
	continueAcrossItems?: boolean;
	includeEvents?: boolean;
	perspective?: string | string[];
	rememberSessionBy?: string;
	sandbox?: boolean;
	senderId?: string;
	senderNick?: string;
	timeout?: number;
	vendorParam?: string | IDataObject;
}

export interface PreparedMessage {
	request: ChatRequest;
	agentKey: string;
	includeEvents: boolean;
	/** The user's own conversation key whose Chatbot session the node keeps, when no Session ID is given. */
	memoryKey?: string;
}

function text(value: unknown): string {
	return typeof value === 'string' ? value.trim() : value === undefined || value === null ? '' : String(value).trim();
}

function perspectiveCodes(value: MessageOptions['perspective']): string[] | undefined {
	const codes = (Array.isArray(value) ? value : text(value).split(','))
		.map((code) => text(code))
		.filter(Boolean);
	return codes.length > 0 ? codes : undefined;
}

function vendorParam(ctx: IExecuteFunctions, value: MessageOptions['vendorParam'], itemIndex: number) {
	if (value === undefined || value === null) return undefined;
	let parsed: unknown = value;
	if (typeof value === 'string') {
		if (!value.trim()) return undefined;
		try {
			parsed = JSON.parse(value);
		} catch {
			throw new NodeOperationError(ctx.getNode(), 'Vendor Params is not valid JSON', {
				itemIndex,
				description: 'Enter a JSON object, for example {"phone":"123456789"}, or leave the option out.',
			});
		}
	}
	if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new NodeOperationError(ctx.getNode(), 'Vendor Params must be a JSON object', {
			itemIndex,
			description: 'Enter a JSON object, for example {"phone":"123456789"}, or leave the option out.',
		});
	}
	return Object.keys(parsed).length > 0 ? JSON.stringify(parsed) : undefined;
}

/** Reads and checks one item's parameters; nothing is sent for an item that fails here. */
export function prepareMessage(ctx: IExecuteFunctions, itemIndex: number): PreparedMessage {
	const node = ctx.getNode();
	const instanceId = text(ctx.getNodeParameter('instanceId', itemIndex));
	const utterance = text(ctx.getNodeParameter('utterance', itemIndex));
	const sessionId = text(ctx.getNodeParameter('sessionId', itemIndex, ''));
	const agentKey = text(ctx.getNodeParameter('agentKey', itemIndex, ''));
	const options = ctx.getNodeParameter('options', itemIndex, {}) as MessageOptions;

	if (!instanceId) {
		throw new NodeOperationError(node, 'The Instance ID is empty', {
			itemIndex,
			description: 'Enter the ID of the chatbot instance (for example chatbot-cn-dDmF3jcdVf), shown in the Chatbot console.',
		});
	}
	if (!utterance) {
		throw new NodeOperationError(node, 'The message is empty', {
			itemIndex,
			description: 'Enter what the user says in Message; the chatbot needs some text to answer.',
		});
	}
	const length = [...utterance].length;
	if (length > MAX_UTTERANCE_CHARS) {
		throw new NodeOperationError(
			node,
			`The message is ${length} characters long; the chatbot accepts at most ${MAX_UTTERANCE_CHARS}`,
			{
				itemIndex,
				description: `Alibaba Cloud's chat API limits Utterance to ${MAX_UTTERANCE_CHARS} characters, so nothing was sent. Shorten the message or split it into several messages.`,
			},
		);
	}
	const command = options.command === 'TIMEOUT' || options.command === 'GUIDEPOST' ? options.command : undefined;
	return {
		agentKey,
		includeEvents: options.includeEvents === true,
		memoryKey: sessionId ? undefined : text(options.rememberSessionBy) || undefined,
		request: {
			InstanceId: instanceId,
			Utterance: utterance,
			SessionId: sessionId || undefined,
			SenderId: text(options.senderId) || undefined,
			SenderNick: text(options.senderNick) || undefined,
			VendorParam: vendorParam(ctx, options.vendorParam, itemIndex),
			Perspective: perspectiveCodes(options.perspective),
			SandBox: options.sandbox === true ? true : undefined,
			Command: command,
		},
	};
}
