import { NodeOperationError, type IExecuteFunctions } from 'n8n-workflow';

export function requiredString(ctx: IExecuteFunctions, name: string, label: string, itemIndex: number): string {
	const value = String(ctx.getNodeParameter(name, itemIndex, '') ?? '').trim();
	if (!value) {
		throw new NodeOperationError(ctx.getNode(), `${label} is empty`, {
			description: `Enter the ${label}, or map it from the input with an expression.`,
			itemIndex,
		});
	}
	return value;
}
