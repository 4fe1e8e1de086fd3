import type { IDataObject } from 'n8n-workflow';

import type { Conversation } from '../../shared/conversation';
import type { InstanceIdSource } from './instance';

/**
 * What every node that archives one call outputs (Get Call Log, List Instances with call
 * logs, the ICE Call Trigger): the conversation and the few call-level fields a workflow
 * routes on. n8n stores every node's output, so the raw log, which holds the same sentences
 * again, is added only when the user asks for it ("Include Raw Call Log").
 */
export interface CallOutputInput {
	instanceId: string | null;
	/** Where instanceId came from (see identifyInstance); output when given. */
	instanceIdSource?: InstanceIdSource | null;
	/** DescribeAIAgentInstance / ListAIAgentInstance `Status`, when known. */
	status?: unknown;
	conversation: Conversation;
	/** The call log's own small fields (`agentUserId`), read while it was parsed. */
	agentUserId?: unknown;
	/** The parsed raw log; output only with `includeRawCallLog`. */
	callLog?: IDataObject;
	includeRawCallLog?: boolean;
}

export interface CallOutput extends IDataObject {
	instanceId: string | null;
	instanceIdSource?: InstanceIdSource | null;
	status: string | null;
	agentUserId: string | null;
	startedAt: string | null;
	conversation: Conversation;
	callLog?: IDataObject;
}

export function callOutput(input: CallOutputInput): CallOutput {
	const output: CallOutput = {
		instanceId: input.instanceId,
		...(input.instanceIdSource !== undefined ? { instanceIdSource: input.instanceIdSource } : {}),
		status: typeof input.status === 'string' && input.status ? input.status : null,
		agentUserId: typeof input.agentUserId === 'string' && input.agentUserId ? input.agentUserId : null,
		startedAt: input.conversation.startedAt ?? null,
		conversation: input.conversation,
	};
	if (input.includeRawCallLog && input.callLog) output.callLog = input.callLog;
	return output;
}
