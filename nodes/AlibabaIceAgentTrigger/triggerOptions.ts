import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';

import { numericOption, type NumericRule } from '../shared/options/numericOption';

export const DEFAULT_MAX_BODY_KB = 1024;
export const DEFAULT_REPEAT_WINDOW_MINUTES = 60;
export const DEFAULT_MAX_REMEMBERED = 1000;

const MAX_BODY_RULE: NumericRule = { label: 'Max Body Size (KB)', default: DEFAULT_MAX_BODY_KB, min: 1, max: 1_048_576 };
const REPEAT_WINDOW_RULE: NumericRule = {
	label: 'Repeat Window (Minutes)',
	default: DEFAULT_REPEAT_WINDOW_MINUTES,
	min: 1,
	max: 10_080,
};
const MAX_REMEMBERED_RULE: NumericRule = {
	label: 'Max Remembered Deliveries',
	default: DEFAULT_MAX_REMEMBERED,
	min: 1,
	max: 10_000,
	integer: true,
};

export const optionProperties: INodeProperties[] = [
	{
		displayName: 'Drop Repeats',
		name: 'dropRepeats',
		type: 'boolean',
		default: true,
		description:
			'Whether a callback delivered again (same "deliveryKey") within Repeat Window is answered 200 but starts nothing. Remembered in the workflow\'s static data; see the README for what survives a restart.',
	},
	{
		displayName: 'Max Body Size (KB)',
		name: 'maxBodySize',
		type: 'number',
		default: DEFAULT_MAX_BODY_KB,
		typeOptions: { minValue: 1, maxValue: MAX_BODY_RULE.max },
		description:
			'Callbacks with a larger body are answered 400 and start nothing, so they never reach the execution data. n8n has already read the body by then, up to its own limit N8N_PAYLOAD_SIZE_MAX (16 MB by default).',
	},
	{
		displayName: 'Max Remembered Deliveries',
		name: 'maxRemembered',
		type: 'number',
		default: DEFAULT_MAX_REMEMBERED,
		typeOptions: { minValue: 1, maxValue: MAX_REMEMBERED_RULE.max },
		description:
			'With Drop Repeats: how many recent deliveries are remembered at most; past that the oldest is forgotten first, even inside Repeat Window',
	},
	{
		displayName: 'Repeat Window (Minutes)',
		name: 'repeatWindowMinutes',
		type: 'number',
		default: DEFAULT_REPEAT_WINDOW_MINUTES,
		typeOptions: { minValue: 1, maxValue: REPEAT_WINDOW_RULE.max },
		description:
			'With Drop Repeats: how long after the delivery that started the workflow a repeat of it is dropped',
	},
];

export interface TriggerOptions {
	maxBodyBytes: number;
	/** Undefined when Drop Repeats is off. */
	repeats?: { windowMs: number; maxRemembered: number };
}

/**
 * Reads the options with the shared numeric rules; throws a NodeOperationError naming the
 * option for a value that makes no sense, instead of falling back and turning a guard off.
 */
export function readTriggerOptions(node: INode, value: unknown): TriggerOptions {
	const options = (value && typeof value === 'object' ? value : {}) as IDataObject;
	const maxBodyBytes = numericOption(node, options.maxBodySize, MAX_BODY_RULE) * 1024;
	const windowMinutes = numericOption(node, options.repeatWindowMinutes, REPEAT_WINDOW_RULE);
	const maxRemembered = numericOption(node, options.maxRemembered, MAX_REMEMBERED_RULE);
	if (options.dropRepeats === false || options.dropRepeats === 'false') return { maxBodyBytes };
	return { maxBodyBytes, repeats: { windowMs: windowMinutes * 60_000, maxRemembered } };
}
