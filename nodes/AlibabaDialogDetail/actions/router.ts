import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { CONCURRENCY_RULE, TIMEOUT_RULE } from '../../shared/options/limitOptions';
import { numericOption } from '../../shared/options/numericOption';
import { AlibabaClient, DEFAULT_CONCURRENCY, runItems } from '../../shared/transport';
import * as get from './get.operation';
import * as getAnalysisResult from './getAnalysisResult.operation';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	const runOptions = this.getNodeParameter('options', 0, {}) as { concurrency?: number; timeout?: number };
	const timeoutMs = numericOption(this.getNode(), runOptions.timeout, TIMEOUT_RULE) * 1000;
	const client = await AlibabaClient.create(this, { timeoutMs });

	if (operation === 'get') {
		const concurrency = numericOption(this.getNode(), runOptions.concurrency, {
			...CONCURRENCY_RULE,
			default: DEFAULT_CONCURRENCY,
		});
		return [await runItems(this, async (i) => await get.execute.call(this, client, i), concurrency)];
	}
	if (operation === 'getAnalysisResult') {
		// One query per item, one after another: the fan-out is the file downloads inside an
		// item, which Concurrency bounds, so running items in parallel would multiply it.
		return [await runItems(this, async (i) => await getAnalysisResult.execute.call(this, client, i), 1)];
	}
	throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
}
