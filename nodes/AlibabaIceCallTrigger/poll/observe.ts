import type { IDataObject } from 'n8n-workflow';

import { describeInstance } from '../../AlibabaIceArchive/helpers/api';
import { type ParsedCallLog, readCallLog } from '../../AlibabaIceArchive/helpers/callLog';
import { identifyInstance } from '../../AlibabaIceArchive/helpers/instance';
import { listItemKey } from '../../AlibabaIceArchive/helpers/listItemKey';
import { type AlibabaClient, errorSummary, type RangedItem, type Semaphore } from '../../shared/transport';
import { type CallOutcome, creationBounds, isRunning, type ObservedCall } from './plan';
import type { PendingCall } from './state';
import type { TriggerParameters } from '../settings';

/** One call this poll looked at, with what it found. */
export interface Observation {
	call: ObservedCall;
	/** Absent for a pending call that could not be looked up. */
	instance?: IDataObject;
	/** The id DescribeAIAgentInstance was called with. */
	describedId?: string;
	outcome: CallOutcome;
	callLog?: ParsedCallLog;
}


function statusOf(instance: IDataObject): string | null {
	return typeof instance.Status === 'string' && instance.Status ? instance.Status : null;
}

/**
 * ListAIAgentInstance answers newest first; each listed range's items are reversed so a
 * poll's output runs oldest first (ranges already come oldest first).
 */
export function oldestFirst(listed: Array<RangedItem<IDataObject>>): Array<RangedItem<IDataObject>> {
	const groups: Array<Array<RangedItem<IDataObject>>> = [];
	for (const entry of listed) {
		const last = groups[groups.length - 1];
		if (last && last[0].range === entry.range) last.push(entry);
		else groups.push([entry]);
	}
	return groups.flatMap((group) => group.reverse());
}

export function observedFromList(entry: RangedItem<IDataObject>, now: number): ObservedCall {
	return {
		key: listItemKey(entry.item),
		instanceId: identifyInstance({ instance: entry.item }).instanceId,
		status: statusOf(entry.item),
		...creationBounds(entry.range, now),
	};
}

/**
 * Reads the log of a finished call; a running call is reported as such. Never throws: a
 * failure becomes an outcome, so one broken log cannot stop the calls after it.
 */
export async function inspect(
	client: AlibabaClient,
	downloads: Semaphore,
	call: ObservedCall,
	instance: IDataObject,
	params: TriggerParameters,
): Promise<Observation> {
	const status = statusOf(instance);
	const seen: ObservedCall = { ...call, status };
	if (isRunning(status)) return { call: seen, instance, outcome: { kind: 'running' } };
	if (!params.includeCallLog) return { call: seen, instance, outcome: { kind: 'done' } };
	const url = typeof instance.CallLogUrl === 'string' ? instance.CallLogUrl.trim() : '';
	if (!url) {
		return {
			call: seen,
			instance,
			outcome: { kind: 'failed', error: `The call has ended (status "${status ?? 'unknown'}") but has no CallLogUrl yet.` },
		};
	}
	try {
		const callLog = await downloads.run(
			async () =>
				await readCallLog(client, url, call.instanceId ?? '(unknown)', params.download, params.includeRawCallLog),
		);
		const logId = identifyInstance({ instance, callLog: callLog.header }).instanceId;
		return { call: { ...seen, instanceId: logId ?? seen.instanceId }, instance, outcome: { kind: 'done' }, callLog };
	} catch (error) {
		return { call: seen, instance, outcome: { kind: 'failed', error: errorSummary(error) } };
	}
}

/** A pending call the listing did not return (older than the listed range): looked up by id. */
export async function recheck(
	client: AlibabaClient,
	downloads: Semaphore,
	pending: PendingCall,
	params: TriggerParameters,
): Promise<Observation> {
	const call: ObservedCall = {
		key: pending.key,
		instanceId: pending.instanceId,
		status: pending.status,
		createdFrom: pending.createdFrom,
		createdBy: pending.createdBy,
	};
	if (pending.instanceId === null) return { call, outcome: { kind: 'unseen' } };
	let instance: IDataObject;
	try {
		instance = await describeInstance(client, pending.instanceId);
	} catch (error) {
		return { call, outcome: { kind: 'failed', error: errorSummary(error) } };
	}
	return { ...(await inspect(client, downloads, call, instance, params)), describedId: pending.instanceId };
}
