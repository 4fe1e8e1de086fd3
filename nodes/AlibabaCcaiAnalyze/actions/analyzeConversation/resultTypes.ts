import type { INodePropertyOptions } from 'n8n-workflow';

/** Every `resultTypes` value ContactCenterAI AnalyzeConversation accepts (API 2024-06-03). */
export const RESULT_TYPE_OPTIONS: INodePropertyOptions[] = [
	{ name: 'Actions', value: 'actions', description: 'Actions the agent took or promised' },
	{ name: 'Category Tag', value: 'category_tag', description: 'Pick the matching tags from Category Tags' },
	{
		name: 'Custom Prompt',
		value: 'custom_prompt',
		description: 'Answer the Custom Prompt about the conversation',
	},
	{ name: 'Emotion Detection', value: 'emotion_detection', description: 'Emotions of the customer and the agent' },
	{ name: 'Fields', value: 'fields', description: 'Extract the values of Fields to Extract' },
	{ name: 'Image Analysis', value: 'analysis_image', description: 'Describe images sent in the conversation' },
	{ name: 'Keywords', value: 'keywords', description: 'Keywords of the conversation' },
	{ name: 'Label Classification', value: 'label_classification', description: 'Classify the conversation with labels' },
	{
		name: 'Question and Solution',
		value: 'question_solution',
		description: "The customer's problem and how it was solved",
	},
	{ name: 'Questions and Answers', value: 'questions_and_answer', description: 'Question and answer pairs' },
	{ name: 'Satisfaction', value: 'satisfaction', description: 'How satisfied the customer was' },
	{
		name: 'Service Finish',
		value: 'service_finish',
		description: "Whether the customer's request was fully handled",
	},
	{
		name: 'Service Inspection',
		value: 'service_inspection',
		description: 'Quality-check the agent against the Inspection Dimensions',
	},
	{ name: 'Summary', value: 'summary', description: 'A short summary of the conversation' },
	{
		name: 'Telemarketing Summary',
		value: 'dianxiao_summary',
		description: 'A sales-call summary (dianxiao_summary)',
	},
	{ name: 'Title', value: 'title', description: 'A one-line title for the conversation' },
	{ name: 'User Profile', value: 'user_profile', description: 'Fill in the User Profile items' },
];

export const RESULT_TYPES: string[] = RESULT_TYPE_OPTIONS.map((option) => String(option.value));
