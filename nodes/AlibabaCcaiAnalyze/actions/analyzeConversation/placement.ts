import { NodeOperationError, type IDataObject, type IExecuteFunctions } from 'n8n-workflow';

import { DEFAULT_RESULT_FIELD, type OutputMode } from './output.properties';

/** Where an item's analysis goes: the whole output item, or one field of the incoming item. */
export type Placement = { mode: 'replaceInput' } | { mode: 'addToInput'; path: string[] };

/** Version 1 replaced the item; later versions keep it unless told otherwise. */
export function readPlacement(ctx: IExecuteFunctions, itemIndex: number): Placement {
	const fallback: OutputMode = ctx.getNode().typeVersion >= 1.1 ? 'addToInput' : 'replaceInput';
	const mode = ctx.getNodeParameter('output', itemIndex, fallback) as OutputMode;
	if (mode === 'replaceInput') return { mode };
	const field = String(ctx.getNodeParameter('resultField', itemIndex, DEFAULT_RESULT_FIELD) ?? '').trim();
	const path = field.split('.').map((part) => part.trim());
	if (!field || path.some((part) => !part)) {
		throw new NodeOperationError(ctx.getNode(), `Input item ${itemIndex}: Put Result In Field "${field}" is not a field name`, {
			itemIndex,
			description: 'Enter a field name such as analysis, or a dotted path such as call.analysis.',
		});
	}
	return { mode, path };
}

/**
 * The incoming item is copied, never changed in place: n8n hands the same object to every
 * node connected to the previous one. Objects along a dotted path are copied too; anything
 * in the way that is not an object is replaced, as the Set node does.
 */
export function place(input: IDataObject, analysis: IDataObject, placement: Placement): IDataObject {
	if (placement.mode === 'replaceInput') return analysis;
	const output: IDataObject = { ...input };
	let target = output;
	placement.path.slice(0, -1).forEach((key) => {
		const existing = target[key];
		const copy: IDataObject =
			existing && typeof existing === 'object' && !Array.isArray(existing) ? { ...(existing as IDataObject) } : {};
		target[key] = copy;
		target = copy;
	});
	target[placement.path[placement.path.length - 1]] = analysis;
	return output;
}
