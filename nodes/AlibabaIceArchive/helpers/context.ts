import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { AlibabaClient } from '../../shared/transport';
import type { Semaphore } from '../../shared/transport/concurrency';

/** What one execution shares across its items. */
export interface ArchiveContext {
	client: AlibabaClient;
	/**
	 * Bounds Get Call Log's Describe calls across all items together. That operation keeps twice
	 * Concurrency items in progress, so this allowance, not the item count, is the API's cap.
	 */
	apiCalls: Semaphore;
	/** Bounds call-log downloads across all items together. */
	downloads: Semaphore;
}

export type OperationExecute = (
	this: IExecuteFunctions,
	archive: ArchiveContext,
	itemIndex: number,
) => Promise<INodeExecutionData[]>;
