import { NodeOperationError, type INode } from 'n8n-workflow';

/** How one numeric option is read; the same rules in every node. */
export interface NumericRule {
	/** As the user sees it, e.g. `Max Download Size (MB)`. */
	label: string;
	/** Used when the option is absent or empty. */
	default: number;
	min: number;
	max?: number;
	integer?: boolean;
}

function describe(rule: NumericRule): string {
	const kind = rule.integer ? 'a whole number' : 'a number';
	return rule.max !== undefined ? `${kind} from ${rule.min} to ${rule.max}` : `${kind} of at least ${rule.min}`;
}

/**
 * Reads a numeric option that guards something (a size, a timeout, a rate, a concurrency).
 * An expression can hand over anything; a value that makes no sense fails the node with a
 * message that names the option, instead of silently turning the guard off (NaN) or making
 * every call fail (0 where 0 is not allowed).
 */
export function numericOption(node: INode, value: unknown, rule: NumericRule, itemIndex?: number): number {
	if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return rule.default;
	const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : Number.NaN;
	const shown = typeof value === 'string' ? `"${value.slice(0, 40)}"` : String(value);
	const fits =
		Number.isFinite(number) &&
		number >= rule.min &&
		(rule.max === undefined || number <= rule.max) &&
		(!rule.integer || Number.isInteger(number));
	if (!fits) {
		throw new NodeOperationError(node, `The option "${rule.label}" is ${shown}, which is not ${describe(rule)}`, {
			description: `Enter ${describe(rule)} for "${rule.label}", or fix the expression that sets it. Leave it empty for the default (${rule.default}).`,
			itemIndex,
		});
	}
	return number;
}
