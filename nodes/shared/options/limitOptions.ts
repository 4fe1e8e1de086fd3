import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_DOWNLOAD_DEADLINE_SECONDS } from '../transport/download';
import type { NumericRule } from './numericOption';

export const DEFAULT_TIMEOUT_SECONDS = 60;

export const TIMEOUT_RULE: NumericRule = { label: 'Timeout (Seconds)', default: DEFAULT_TIMEOUT_SECONDS, min: 0.1, max: 3600 };

export const DOWNLOAD_DEADLINE_RULE: NumericRule = {
	label: 'Download Deadline (Seconds)',
	default: DEFAULT_DOWNLOAD_DEADLINE_SECONDS,
	min: 0.1,
	max: 86400,
};

/** The editor stops at 50; an expression may go further, within reason. */
export const CONCURRENCY_RULE: Omit<NumericRule, 'default'> = { label: 'Concurrency', min: 1, max: 1000, integer: true };

export const MAX_DOWNLOAD_SIZE_RULE: Omit<NumericRule, 'default'> = { label: 'Max Download Size (MB)', min: 0.0001, max: 4096 };

/** The node's "Timeout (Seconds)" option: the wait for an answer to start, and the longest silence inside one. */
export function timeoutProperty(defaultSeconds: number = DEFAULT_TIMEOUT_SECONDS): INodeProperties {
	return {
		displayName: 'Timeout (Seconds)',
		name: 'timeout',
		type: 'number',
		typeOptions: { minValue: 0.1, maxValue: 3600, numberPrecision: 1 },
		default: defaultSeconds,
		description:
			'How long to wait for the service to start answering, and the longest silence allowed while an answer or a file arrives',
	};
}

export const downloadDeadlineProperty: INodeProperties = {
	displayName: 'Download Deadline (Seconds)',
	name: 'downloadDeadline',
	type: 'number',
	typeOptions: { minValue: 0.1, maxValue: 86400, numberPrecision: 1 },
	default: DEFAULT_DOWNLOAD_DEADLINE_SECONDS,
	description: 'Longest time one file download may take from request to last byte; a slower one is stopped',
};
