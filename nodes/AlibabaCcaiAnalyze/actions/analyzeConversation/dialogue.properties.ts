import type { INodeProperties } from 'n8n-workflow';

const ROLE_OPTIONS = [
	{ name: 'User (Customer)', value: 'user' },
	{ name: 'Agent', value: 'agent' },
	{ name: 'System', value: 'system' },
];

export const dialogueProperties: INodeProperties[] = [
	{
		displayName: 'Dialogue Source',
		name: 'dialogueSource',
		type: 'options',
		noDataExpression: true,
		default: 'inputConversation',
		options: [
			{
				name: 'Conversation From Input',
				value: 'inputConversation',
				description: 'The conversation field of each input item, as Alibaba ICE Archive and Alibaba Dialog Detail output it',
			},
			{
				name: 'Define Below',
				value: 'manual',
				description: 'Type the sentences in as role and text rows',
			},
			{
				name: 'JSON',
				value: 'json',
				description: 'A JSON array of {role, text} objects, or an expression that returns one',
			},
		],
	},
	{
		displayName: 'Conversation Field',
		name: 'conversationField',
		type: 'string',
		default: 'conversation',
		required: true,
		displayOptions: { show: { dialogueSource: ['inputConversation'] } },
		description:
			'Input field holding the conversation: {sessionId, sentences: [{role, text}]} or just the sentence array. Use dots for a nested field, e.g. data.conversation.',
	},
	{
		displayName: 'Sentences',
		name: 'manualDialogue',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Sentence',
		default: {},
		displayOptions: { show: { dialogueSource: ['manual'] } },
		description: 'The conversation in spoken order',
		options: [
			{
				name: 'sentences',
				displayName: 'Sentence',
				values: [
					{
						displayName: 'Role',
						name: 'role',
						type: 'options',
						options: ROLE_OPTIONS,
						default: 'user',
						description: 'Who said it',
					},
					{
						displayName: 'Text',
						name: 'text',
						type: 'string',
						typeOptions: { rows: 2 },
						default: '',
						description: 'What was said',
					},
				],
			},
		],
	},
	{
		displayName: 'Dialogue (JSON)',
		name: 'dialogueJson',
		type: 'json',
		default: '[\n  { "role": "user", "text": "How do I apply for a new card?" },\n  { "role": "agent", "text": "You can apply in the app under Cards." }\n]',
		required: true,
		displayOptions: { show: { dialogueSource: ['json'] } },
		description:
			'An array of {role, text} objects with role user, agent or system. An object with a sentences array (and optional sessionId) works too.',
	},
];

export { ROLE_OPTIONS };
