import { mapConcurrent } from './concurrency';
import {
	NodeOperationError,
	type IExecuteFunctions,
	type INodeExecutionData,
	type NodeError,
} from 'n8n-workflow';

export type ItemHandler = (itemIndex: number) => Promise<INodeExecutionData[]>;

export const DEFAULT_CONCURRENCY = 5;

function errorMessage(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** n8n shows the failing item from the error's context; a plain Error gets wrapped to carry it. */
function withItemIndex(ctx: IExecuteFunctions, error: unknown, itemIndex: number): NodeError {
	if ((error as NodeError)?.node !== undefined) {
		const nodeError = error as NodeError;
		nodeError.context = { ...(nodeError.context ?? {}), itemIndex };
		return nodeError;
	}
	return new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
}

/**
 * Runs every input item through `handler` with at most `concurrency` in flight. Output keeps
 * input order and each output item is paired with the item it came from. A failing item
 * becomes an `{ error }` item under continue-on-fail; otherwise the first failure stops
 * new work, waits for what is in flight, and is thrown with its item index.
 */
export async function runItems(
	ctx: IExecuteFunctions,
	handler: ItemHandler,
	concurrency = DEFAULT_CONCURRENCY,
): Promise<INodeExecutionData[]> {
	const indices = ctx.getInputData().map((_, index) => index);
	const results = await mapConcurrent(indices, concurrency, async (index) => {
		try {
			const produced = await handler(index);
			return produced.map((item) => ({ ...item, pairedItem: item.pairedItem ?? { item: index } }));
		} catch (error) {
			if (!ctx.continueOnFail()) throw withItemIndex(ctx, error, index);
			const description = (error as NodeError).description;
			return [
				{
					json: { error: errorMessage(error), ...(description ? { errorDescription: description } : {}) },
					pairedItem: { item: index },
				},
			];
		}
	});
	return results.flat();
}
