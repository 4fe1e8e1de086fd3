import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

/**
 * Session IDs are 19-digit numbers: beyond 2^53 a JSON number has already lost digits, so
 * such a value is refused rather than silently turned into another session's ID.
 */
function idText(ctx: IExecuteFunctions, value: unknown, label: string, itemIndex: number): string {
	if (typeof value === 'number' && !Number.isSafeInteger(value)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`${label} ${String(value)} arrived as a number too large to be exact, so it may name another session`,
			{
				itemIndex,
				description:
					'A JSON number cannot hold 19 digits exactly. Make the source send session IDs as strings (in quotes).',
			},
		);
	}
	return value === undefined || value === null ? '' : String(value).trim();
}

/** A required text parameter; an empty value fails before any request is made. */
export function requiredText(ctx: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const text = idText(ctx, ctx.getNodeParameter(name, itemIndex, ''), label, itemIndex);
	if (!text) {
		throw new NodeOperationError(ctx.getNode(), `${label} is empty`, {
			itemIndex,
			description: `Enter the ${label.toLowerCase()} or map it from the input with an expression.`,
		});
	}
	return text;
}

/** Accepts `a, b c` text, one ID per line, or an expression returning an array; keeps order, drops repeats. */
export function sessionIdList(ctx: IExecuteFunctions, name: string, itemIndex: number): string[] {
	const raw = ctx.getNodeParameter(name, itemIndex, '') as unknown;
	const values = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,;]+/) : [raw];
	const ids = values.map((value) => idText(ctx, value, 'Session ID', itemIndex)).filter(Boolean);
	return [...new Set(ids)];
}
