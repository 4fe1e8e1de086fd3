import type { IDataObject } from 'n8n-workflow';

import type { AlibabaClient } from '../../shared/transport';

export const ICE_VERSION = '2020-11-09';

/** Both list APIs cap PageSize at 100; ListAIAgentInstance also caps PageNumber at 100. */
export const MAX_PAGE_SIZE = 100;
export const MAX_INSTANCE_PAGES = 100;

export async function describeInstance(client: AlibabaClient, instanceId: string): Promise<IDataObject> {
	const body = await client.rpc<{ Instance?: IDataObject }>({
		service: 'ice',
		action: 'DescribeAIAgentInstance',
		version: ICE_VERSION,
		params: { InstanceId: instanceId },
	});
	return body.Instance ?? {};
}

export interface InstancePageQuery {
	aiAgentId: string;
	/** `2023-01-01T00:00:00Z` style, as the API documents. */
	startTime?: string;
	endTime?: string;
}

export async function listInstancesPage(
	client: AlibabaClient,
	query: InstancePageQuery,
	pageNumber: number,
	pageSize: number,
): Promise<IDataObject[]> {
	const body = await client.rpc<{ Instances?: IDataObject[] }>({
		service: 'ice',
		action: 'ListAIAgentInstance',
		version: ICE_VERSION,
		params: {
			AIAgentId: query.aiAgentId,
			...(query.startTime ? { StartTime: query.startTime } : {}),
			...(query.endTime ? { EndTime: query.endTime } : {}),
			PageNumber: pageNumber,
			PageSize: pageSize,
		},
	});
	return Array.isArray(body.Instances) ? body.Instances : [];
}

export interface DialoguePageQuery {
	sessionId: string;
	/** Unix ms, both required by the API. */
	startTime: number;
	endTime: number;
	order: 'ASC' | 'DESC';
}

export async function listDialoguesPage(
	client: AlibabaClient,
	query: DialoguePageQuery,
	pageNumber: number,
	pageSize: number,
): Promise<IDataObject[]> {
	const body = await client.rpc<{ Dialogues?: IDataObject[] }>({
		service: 'ice',
		action: 'ListAIAgentDialogues',
		version: ICE_VERSION,
		params: {
			SessionId: query.sessionId,
			StartTime: query.startTime,
			EndTime: query.endTime,
			PageNumber: pageNumber,
			PageSize: pageSize,
			Order: query.order,
		},
	});
	return Array.isArray(body.Dialogues) ? body.Dialogues : [];
}
