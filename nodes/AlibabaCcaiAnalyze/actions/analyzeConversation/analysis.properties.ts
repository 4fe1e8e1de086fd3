import type { INodeProperties } from 'n8n-workflow';

import { ROLE_OPTIONS } from './dialogue.properties';
import { RESULT_TYPE_OPTIONS } from './resultTypes';

const whenResultType = (type: string) => ({ show: { resultTypes: [type] } });

export const analysisProperties: INodeProperties[] = [
	{
		displayName: 'Result Types',
		name: 'resultTypes',
		type: 'multiOptions',
		options: RESULT_TYPE_OPTIONS,
		default: ['summary'],
		required: true,
		description:
			'What the analysis should produce. With one type, Text is that result; with several, the service usually answers one JSON object keyed by type.',
	},
	{
		displayName: 'Fields to Extract',
		name: 'fieldsToExtract',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Field',
		default: {},
		displayOptions: whenResultType('fields'),
		description: 'The fields the Fields result type fills in from the conversation',
		options: [
			{
				name: 'field',
				displayName: 'Field',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						required: true,
						placeholder: 'e.g. Reason for calling',
						description: 'Field name, also the key in the result',
					},
					{
						displayName: 'Code',
						name: 'code',
						type: 'string',
						default: '',
						placeholder: 'e.g. phoneNumber',
						description: 'Optional machine name of the field',
					},
					{
						displayName: 'Description',
						name: 'description',
						type: 'string',
						typeOptions: { rows: 2 },
						default: '',
						required: true,
						description: 'What the field means, so the model knows what to look for',
					},
					{
						displayName: 'Enum Values',
						name: 'enumValues',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true },
						placeholder: 'Add Enum Value',
						default: {},
						description: 'Restrict the field to these values',
						options: [
							{
								name: 'enumValue',
								displayName: 'Enum Value',
								values: [
									{
										displayName: 'Value',
										name: 'value',
										type: 'string',
										default: '',
										placeholder: 'e.g. Complaint',
									},
									{
										displayName: 'Description',
										name: 'description',
										type: 'string',
										default: '',
										description: 'When this value applies',
									},
								],
							},
						],
					},
				],
			},
		],
	},
	{
		displayName: 'Inspection Scene',
		name: 'inspectionScene',
		type: 'string',
		default: '',
		placeholder: 'e.g. Insurance sales',
		displayOptions: whenResultType('service_inspection'),
		description: 'The business scene the service is checked in (serviceInspection.sceneIntroduction)',
	},
	{
		displayName: 'Inspection Introduction',
		name: 'inspectionIntroduction',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		placeholder: 'e.g. Check whether the agent over-promised or asked for private data',
		displayOptions: whenResultType('service_inspection'),
		description: 'What the inspection is about, in detail (serviceInspection.inspectionIntroduction)',
	},
	{
		displayName: 'Inspection Dimensions',
		name: 'inspectionDimensions',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Dimension',
		default: {},
		displayOptions: whenResultType('service_inspection'),
		description: 'The points the agent is checked on (serviceInspection.inspectionContents)',
		options: [
			{
				name: 'dimension',
				displayName: 'Dimension',
				values: [
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						placeholder: 'e.g. Agent over-promised',
					},
					{
						displayName: 'Content',
						name: 'content',
						type: 'string',
						typeOptions: { rows: 2 },
						default: '',
						description: 'What counts as a hit for this dimension',
					},
				],
			},
		],
	},
	{
		displayName: 'Category Tags',
		name: 'categoryTags',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Tag',
		default: {},
		displayOptions: whenResultType('category_tag'),
		description: 'The tags the Category Tag result type chooses from',
		options: [
			{
				name: 'tag',
				displayName: 'Tag',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'e.g. Billing' },
					{
						displayName: 'Description',
						name: 'description',
						type: 'string',
						default: '',
						description: 'When the tag applies',
					},
				],
			},
		],
	},
	{
		displayName: 'User Profile',
		name: 'userProfiles',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true, sortable: true },
		placeholder: 'Add Profile Item',
		default: {},
		displayOptions: whenResultType('user_profile'),
		description: 'The profile items the User Profile result type fills in',
		options: [
			{
				name: 'profile',
				displayName: 'Profile Item',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'e.g. sex' },
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'Known value or a hint about the possible values',
					},
				],
			},
		],
	},
	{
		displayName: 'Custom Prompt',
		name: 'customPrompt',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		displayOptions: whenResultType('custom_prompt'),
		description: 'Your own instruction for the Custom Prompt result type',
	},
	{
		displayName: 'Examples',
		name: 'examples',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Example',
		default: {},
		description: 'Sample conversations with the output you expect, to steer the format of the answer',
		options: [
			{
				name: 'example',
				displayName: 'Example',
				values: [
					{
						displayName: 'Expected Output',
						name: 'output',
						type: 'string',
						typeOptions: { rows: 2 },
						default: '',
						placeholder: 'e.g. Problem: asked when 2.2 ships. Solution: told the date.',
					},
					{
						displayName: 'Sentences',
						name: 'sentences',
						type: 'fixedCollection',
						typeOptions: { multipleValues: true, sortable: true },
						placeholder: 'Add Sentence',
						default: {},
						options: [
							{
								name: 'sentence',
								displayName: 'Sentence',
								values: [
									{
										displayName: 'Role',
										name: 'role',
										type: 'options',
										options: ROLE_OPTIONS,
										default: 'user',
									},
									{ displayName: 'Text', name: 'text', type: 'string', default: '' },
									{
										displayName: 'Chat ID',
										name: 'chatId',
										type: 'string',
										default: '',
										description: 'Optional ID of the round this sentence belongs to',
									},
								],
							},
						],
					},
				],
			},
		],
	},
];
