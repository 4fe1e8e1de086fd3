import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

import { analyzeConversation } from './actions/analyzeConversation';

const OPERATIONS = { analyzeConversation } as const;

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const operation = this.getNodeParameter('operation', 0) as string;
	const handler = OPERATIONS[operation as keyof typeof OPERATIONS];
	if (!handler) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`, {
			description: `Supported: ${Object.keys(OPERATIONS).join(', ')}.`,
		});
	}
	return [await handler.execute.call(this)];
}
