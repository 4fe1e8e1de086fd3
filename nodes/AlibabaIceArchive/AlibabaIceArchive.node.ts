import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import * as getCallLog from './actions/getCallLog.operation';
import * as getInstance from './actions/getInstance.operation';
import * as listDialogues from './actions/listDialogues.operation';
import * as listInstances from './actions/listInstances.operation';
import { operationProperty } from './actions/operation.description';
import { router } from './actions/router';
import { optionSubtitle } from '../shared/description/subtitle';
import { alibabaCredentials, authenticationProperty } from '../shared/authentication';

export class AlibabaIceArchive implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Alibaba ICE Archive',
		name: 'alibabaIceArchive',
		icon: { light: 'file:alibabaIceArchive.svg', dark: 'file:alibabaIceArchive.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: optionSubtitle('operation', operationProperty.options as INodePropertyOptions[]),
		description: 'Read the transcripts and details of Alibaba Cloud ICE AI agent calls',
		defaults: { name: 'Alibaba ICE Archive' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: alibabaCredentials,
		properties: [
			authenticationProperty,
			operationProperty,
			...getCallLog.description,
			...getInstance.description,
			...listInstances.description,
			...listDialogues.description,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
