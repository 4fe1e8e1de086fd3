import type { INodeProperties } from 'n8n-workflow';

import { timeoutProperty } from '../../shared/options/limitOptions';
import { DEFAULT_CONCURRENCY } from '../../shared/transport';

const show = { show: { operation: ['sendMessage'] } };

export const sendMessageProperties: INodeProperties[] = [
	{
		displayName: 'Instance ID',
		name: 'instanceId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'chatbot-cn-dDmF3jcdVf',
		description: 'ID of the Tongyi (LLM) chatbot instance, as shown in the Alibaba Cloud Chatbot console',
		displayOptions: show,
	},
	{
		displayName: 'Message',
		name: 'utterance',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 2 },
		placeholder: 'What can you do?',
		description: 'What the user says to the chatbot. At most 128 characters (a limit of the Alibaba Cloud API).',
		displayOptions: show,
	},
	{
		displayName: 'Session ID',
		name: 'sessionId',
		type: 'string',
		default: '',
		description:
			'Continues an earlier conversation: pass the Session ID a previous message returned. Leave empty to start a new conversation.',
		displayOptions: show,
	},
	{
		displayName: 'Agent Key',
		name: 'agentKey',
		type: 'string',
		default: '',
		placeholder: 'ac627989eb4f8a98ed05fd098bbae5_p_beebot_public',
		description: 'Key of the workspace (业务空间) the bot lives in. Leave empty for the default workspace.',
		displayOptions: show,
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show,
		options: [
			{
				displayName: 'Command',
				name: 'command',
				type: 'options',
				default: 'none',
				description: 'Triggers a Dialog Factory (对话工厂) event instead of a normal answer',
				options: [
					{ name: 'None', value: 'none', description: 'Send the message as it is' },
					{
						name: 'Timeout',
						value: 'TIMEOUT',
						description: 'Trigger the timeout reply configured in the Dialog Factory',
					},
					{
						name: 'Guidepost',
						value: 'GUIDEPOST',
						description: 'Trigger the asynchronous service configured in the Dialog Factory',
					},
				],
			},
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				default: DEFAULT_CONCURRENCY,
				typeOptions: { minValue: 1, maxValue: 50 },
				description:
					'How many items are sent at the same time. Items with the same Session ID are always sent one after another, in input order.',
			},
			{
				displayName: 'Continue Conversation Across Items',
				name: 'continueAcrossItems',
				type: 'boolean',
				default: false,
				description:
					'Whether each item without its own Session ID continues the conversation of the item before it (items are then sent one at a time)',
			},
			{
				displayName: 'Include Events',
				name: 'includeEvents',
				type: 'boolean',
				default: false,
				description: 'Whether to add every stream event the chatbot sent to the output, in addition to the final answer',
			},
			{
				displayName: 'Perspective Codes',
				name: 'perspective',
				type: 'string',
				default: '',
				placeholder: 'FZJBY3raWr, 1A2b3C4d5E',
				description: 'Comma-separated perspective (视角) codes that select which knowledge the bot answers from',
			},
			{
				displayName: 'Remember Session By',
				name: 'rememberSessionBy',
				type: 'string',
				default: '',
				placeholder: 'e.g. {{ $json.sessionId }}',
				description:
					"A key of your own conversation, such as the Chat Trigger's sessionId. The node remembers which Chatbot session belongs to each key and continues it on the next message, so Session ID can stay empty. Kept in the workflow's static data, which n8n saves after production executions (not after manual test runs). Ignored for items that have a Session ID.",
			},
			{
				displayName: 'Sandbox',
				name: 'sandbox',
				type: 'boolean',
				default: false,
				description:
					'Whether to talk to the bot\'s test environment instead of production (the test environment is rate-limited and less stable)',
			},
			{
				displayName: 'Sender ID',
				name: 'senderId',
				type: 'string',
				default: '',
				description: 'ID of the visitor, as your system knows them',
			},
			{
				displayName: 'Sender Nickname',
				name: 'senderNick',
				type: 'string',
				default: '',
				description: 'Display name of the visitor',
			},
			timeoutProperty(),
			{
				displayName: 'Vendor Params',
				name: 'vendorParam',
				type: 'json',
				default: '{}',
				description:
					'JSON object passed through to the bot, e.g. {"phone":"123456789"} or {"docLabels":"label1,label2"}',
			},
		],
	},
];
