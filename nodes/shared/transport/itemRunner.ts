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
	const count = ctx.getInputData().length;
	const results: INodeExecutionData[][] = new Array(count);
	const limit = Math.max(1, Math.min(Math.floor(concurrency) || 1, count || 1));
	let next = 0;
	type Failure = { index: number; error: unknown };
	let failure = undefined as Failure | undefined;

	const worker = async () => {
		while (failure === undefined && next < count) {
			const index = next++;
			try {
				const produced = await handler(index);
				results[index] = produced.map((item) => ({ ...item, pairedItem: item.pairedItem ?? { item: index } }));
			} catch (error) {
				if (ctx.continueOnFail()) {
					const description = (error as NodeError).description;
					results[index] = [
						{
							json: { error: errorMessage(error), ...(description ? { errorDescription: description } : {}) },
							pairedItem: { item: index },
						},
					];
				} else if (failure === undefined || index < (failure as Failure).index) {
					failure = { index, error };
				}
			}
		}
	};
	await Promise.all(Array.from({ length: limit }, worker));

	if (failure !== undefined) {
		const { error, index } = failure as Failure;
		if (error instanceof NodeOperationError || (error as NodeError)?.node !== undefined) {
			const nodeError = error as NodeError;
			nodeError.context = { ...(nodeError.context ?? {}), itemIndex: index };
			throw nodeError;
		}
		throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex: index });
	}
	return results.flat();
}
