import type { INodeProperties } from 'n8n-workflow';

export type OutputMode = 'addToInput' | 'replaceInput';

export const DEFAULT_RESULT_FIELD = 'analysis';

const OUTPUT_OPTIONS = [
	{
		name: 'Add to Input Item',
		value: 'addToInput',
		description: 'Keep the incoming item (e.g. the call) and put the analysis in one field of it',
	},
	{
		name: 'Replace Input Item',
		value: 'replaceInput',
		description: 'Output only the analysis, as version 1 of this node did',
	},
];

const output = (defaultMode: OutputMode, versions: INodeProperties['displayOptions']): INodeProperties => ({
	displayName: 'Output',
	name: 'output',
	type: 'options',
	noDataExpression: true,
	options: OUTPUT_OPTIONS,
	default: defaultMode,
	displayOptions: versions,
	description: 'Whether the next node sees the incoming item together with its analysis, or the analysis alone',
});

/**
 * Version 1 replaced the incoming item with the analysis, so "archive, then analyze" lost the
 * call unless a Code node put it back. Version 1.1 keeps the item by default; workflows saved
 * with version 1 keep replacing, so nothing already built changes under its owner.
 */
export const outputProperties: INodeProperties[] = [
	output('replaceInput', { show: { '@version': [1] } }),
	output('addToInput', { show: { '@version': [{ _cnd: { gte: 1.1 } }] } }),
	{
		displayName: 'Put Result In Field',
		name: 'resultField',
		type: 'string',
		default: DEFAULT_RESULT_FIELD,
		required: true,
		placeholder: 'e.g. analysis',
		displayOptions: { show: { output: ['addToInput'] } },
		description:
			'Field of the incoming item that receives the analysis (text, result, tokens…). Use dots for a nested field, e.g. call.analysis. An existing field of that name is overwritten.',
	},
];
