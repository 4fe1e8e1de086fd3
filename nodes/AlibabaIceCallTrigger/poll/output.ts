import type { IDataObject } from 'n8n-workflow';

import type { ParsedCallLog } from '../../AlibabaIceArchive/helpers/callLog';
import { callOutput } from '../../AlibabaIceArchive/helpers/callOutput';
import { identifyInstance, type InstanceIdentity, instanceOutput, sessionIdOf } from '../../AlibabaIceArchive/helpers/instance';
import { conversationFromIceLogParts } from '../../shared/conversation';

export interface CallResult {
	/** The list item, or the DescribeAIAgentInstance answer for a call re-checked by id. */
	instance: IDataObject;
	/** The id DescribeAIAgentInstance was called with, for a call re-checked by id. */
	describedId?: string;
	/** An id remembered from an earlier poll, when nothing at hand names the call now. */
	knownId?: string | null;
	callLog?: ParsedCallLog;
	callLogError?: string;
}

/** The instance id from the most trusted source at hand (see identifyInstance). */
export function identityOf(result: Omit<CallResult, 'callLogError'>): InstanceIdentity {
	const identity = identifyInstance({
		instance: result.instance,
		describedId: result.describedId,
		callLog: result.callLog?.header,
	});
	if (identity.instanceId === null && result.knownId) return { instanceId: result.knownId, instanceIdSource: 'callLogUrl' };
	return identity;
}

/**
 * One call as the trigger outputs it, the same shape as List Instances with call logs: the
 * instance's own fields (UserData parsed, tokens masked, URL cut), then the call-level ones
 * (`instanceId`, `instanceIdSource`, `status`, `conversation`, … and `callLogError` when
 * there is no log to give).
 */
export function callItem(result: CallResult, includeRawCallLog: boolean): IDataObject {
	const { instance, callLog } = result;
	const identity = identityOf(result);
	const status = typeof instance.Status === 'string' && instance.Status ? instance.Status : null;
	if (!callLog) {
		return {
			...instanceOutput(instance, identity),
			...identity,
			status,
			conversation: null,
			...(result.callLogError !== undefined ? { callLogError: result.callLogError } : {}),
		};
	}
	return {
		...instanceOutput(instance, identity),
		...callOutput({
			...identity,
			status,
			conversation: conversationFromIceLogParts(
				callLog.header,
				callLog.sentences,
				sessionIdOf(instance),
				identity.instanceId ?? undefined,
			),
			agentUserId: callLog.header.agentUserId,
			callLog: callLog.raw,
			includeRawCallLog,
		}),
	};
}
