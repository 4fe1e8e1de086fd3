import { type IExecuteFunctions, type INodeExecutionData, NodeOperationError } from 'n8n-workflow';

import * as sendMessage from './sendMessage.operation';

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0, 'sendMessage') as string;
	switch (operation) {
		case 'sendMessage':
			return [await sendMessage.execute.call(this)];
		default:
			throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`, {
				description: 'Choose Send Message as the operation.',
			});
	}
}
