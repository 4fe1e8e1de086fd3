import {
	NodeConnectionTypes,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeDescription,
	type IPollFunctions,
} from 'n8n-workflow';

import { alibabaCredentials, authenticationProperty } from '../shared/authentication';
import { AlibabaClient } from '../shared/transport';
import { properties } from './description';
import { newestFinishedCall } from './poll/manual';
import { pollAndStore } from './poll/poll';
import { readParameters } from './settings';

export class AlibabaIceCallTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Alibaba ICE Call Trigger',
		name: 'alibabaIceCallTrigger',
		icon: { light: 'file:alibabaIceCallTrigger.svg', dark: 'file:alibabaIceCallTrigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["aiAgentId"] ? "Agent " + $parameter["aiAgentId"] : "Choose an Agent" }}',
		description:
			'Starts the workflow once for every finished call of an Alibaba Cloud ICE AI agent, with its conversation, checking on a schedule',
		defaults: { name: 'Alibaba ICE Call Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: alibabaCredentials,
		properties: [authenticationProperty, ...properties],
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const params = readParameters(this);
		const client = await AlibabaClient.create(this, { timeoutMs: params.timeoutMs });
		if (this.getMode() === 'manual') return await newestFinishedCall(client, params);
		return await pollAndStore(this, client, params);
	}
}
