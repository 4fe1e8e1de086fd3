import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { operations, properties } from './actions/description';
import { router } from './actions/router';
import { optionSubtitle } from '../shared/description/subtitle';
import { alibabaCredentials, authenticationProperty } from '../shared/authentication';

export class AlibabaDialogDetail implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Alibaba Dialog Detail',
		name: 'alibabaDialogDetail',
		icon: { light: 'file:alibabaDialogDetail.svg', dark: 'file:alibabaDialogDetail.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: optionSubtitle('operation', operations),
		description: 'Read DianJin (点金) dialog transcripts, statuses and analysis results',
		defaults: { name: 'Alibaba Dialog Detail' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: alibabaCredentials,
		properties: [authenticationProperty, ...properties],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
