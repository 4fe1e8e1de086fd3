import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { AlibabaClient, runItems } from '../../shared/transport';
import { Semaphore } from '../../shared/transport/concurrency';
import type { ArchiveContext, OperationExecute } from '../helpers/context';
import { concurrencyOf, optionsOf, timeoutMsOf } from '../helpers/options';
import type { IceArchiveOperation } from './common.description';
import * as getCallLog from './getCallLog.operation';
import * as getInstance from './getInstance.operation';
import * as listDialogues from './listDialogues.operation';
import * as listInstances from './listInstances.operation';

const OPERATIONS: Record<IceArchiveOperation, OperationExecute> = {
	getCallLog: getCallLog.execute,
	getInstance: getInstance.execute,
	listDialogues: listDialogues.execute,
	listInstances: listInstances.execute,
};

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as IceArchiveOperation;
	const execute = OPERATIONS[operation];
	if (!execute) {
		throw new NodeOperationError(this.getNode(), `The operation "${String(operation)}" is not supported`);
	}
	// Concurrency is read once: it sizes this execution's workers, not a single item.
	const runOptions = optionsOf(this.getNodeParameter('options', 0, {}));
	const concurrency = concurrencyOf(this.getNode(), runOptions);
	const archive: ArchiveContext = {
		client: await AlibabaClient.create(this, { timeoutMs: timeoutMsOf(this.getNode(), runOptions) }),
		apiCalls: new Semaphore(concurrency),
		downloads: new Semaphore(concurrency),
	};
	// A Get Call Log item is a Describe, then a download from OSS, whose allowances are apart.
	// With as many items in progress as both allowances hold, the next items are described
	// while earlier logs download, instead of every Describe waiting for a download to end.
	const workers = operation === 'getCallLog' ? concurrency * 2 : concurrency;
	return [await runItems(this, async (itemIndex) => await execute.call(this, archive, itemIndex), workers)];
}
