import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_CONCURRENCY } from '../../../shared/transport';

/**
 * Alibaba documents no input limit for AnalyzeConversation. 60,000 characters (about an hour
 * of two-way phone conversation) leaves the smaller tyxm models room for the instructions and
 * the answer, and stops a wrong field (a whole archive instead of one call) from being billed.
 */
export const DEFAULT_MAX_DIALOGUE_CHARACTERS = 60000;

export const DEFAULT_TIMEOUT_SECONDS = 120;

export const optionsProperties: INodeProperties[] = [
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 50 },
				default: DEFAULT_CONCURRENCY,
				description: 'How many items are analyzed at the same time. Output order always follows input order.',
			},
			{
				displayName: 'Keep Raw Text',
				name: 'keepRawText',
				type: 'boolean',
				default: false,
				description:
					'Whether to leave Result as the text the service returned instead of parsing it when it is JSON',
			},
			{
				displayName: 'Max Dialogue Characters',
				name: 'maxDialogueCharacters',
				type: 'number',
				typeOptions: { minValue: 0 },
				default: DEFAULT_MAX_DIALOGUE_CHARACTERS,
				description:
					'An item whose sentences hold more characters than this fails before any call is made, so a wrong input is not billed. 0 turns the check off.',
			},
			{
				displayName: 'Model',
				name: 'modelCode',
				type: 'options',
				options: [
					{ name: 'Tongyi Xiaomi Turbo', value: 'tyxmTurbo', description: 'Faster and cheaper (service default)' },
					{ name: 'Tongyi Xiaomi Plus', value: 'tyxmPlus', description: 'Stronger on long or difficult conversations' },
				],
				default: 'tyxmTurbo',
				description: 'Model that runs the analysis (modelCode)',
			},
			{
				displayName: 'On Empty Conversation',
				name: 'onEmptyConversation',
				type: 'options',
				options: [
					{
						name: 'Skip With a Note',
						value: 'skip',
						description:
							'Pass the item on unanalyzed, with analysis.skipped true and the reason in analysis.skipReason; nothing is sent or billed',
					},
					{
						name: 'Fail',
						value: 'fail',
						description: 'Stop with an error (an error item under continue-on-fail), as version 1 of this node does',
					},
				],
				default: 'skip',
				description:
					'What to do with an item that has no conversation or no sentence with text, such as an unanswered call or one whose log never came',
			},
			{
				displayName: 'Requests per Second',
				name: 'requestsPerSecond',
				type: 'number',
				typeOptions: { minValue: 0, numberPrecision: 2 },
				default: 0,
				description:
					"Upper limit on calls per second for the whole run, shared by all items. Set it to your account's QPS so a large batch is not throttled. 0 means no limit.",
			},
			{
				displayName: 'Response Format Type',
				name: 'responseFormatType',
				type: 'string',
				default: '',
				description: 'Sent as responseFormatType. Alibaba does not document its values; leave empty unless told otherwise.',
			},
			{
				displayName: 'Scene Name',
				name: 'sceneName',
				type: 'string',
				default: '',
				placeholder: 'e.g. Ticket quality inspection',
				description: 'Name of the business scene, as context for the model (sceneName)',
			},
			{
				displayName: 'Session ID',
				name: 'sessionId',
				type: 'string',
				default: '',
				description:
					"Sent as dialogue.sessionId. When empty, the conversation's own sessionId is used if it has one.",
			},
			{
				displayName: 'Source Caller UID',
				name: 'sourceCallerUid',
				type: 'string',
				default: '',
				description: 'Sent as sourceCallerUid (undocumented by Alibaba)',
			},
			{
				displayName: 'Stream',
				name: 'stream',
				type: 'boolean',
				default: false,
				description:
					'Whether to receive the answer as a stream of events. When the workflow streams its response (e.g. a Chat Trigger with streaming), the text is passed on as it arrives.',
			},
			{
				displayName: 'Time Constraints',
				name: 'timeConstraintList',
				type: 'string',
				typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Time Constraint' },
				default: [],
				description: 'Sent as timeConstraintList (undocumented by Alibaba)',
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_TIMEOUT_SECONDS,
				description: 'How long to wait for the service to start answering. Long conversations take longer to analyze.',
			},
		],
	},
];
