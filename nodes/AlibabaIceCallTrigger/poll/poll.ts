import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { MAX_PAGE_SIZE } from '../../AlibabaIceArchive/helpers/api';
import { listInstancesInRange } from '../../AlibabaIceArchive/helpers/instanceRange';
import { type AlibabaClient, mapConcurrent, Semaphore } from '../../shared/transport';
import type { TriggerParameters } from '../settings';
import { inspect, type Observation, observedFromList, oldestFirst, recheck } from './observe';
import { callItem } from './output';
import { decide } from './plan';
import { listStart, type PendingCall, pruneEmitted, readState, STATE_KEY, toStaticData, type TriggerState } from './state';

export interface PollOutcome {
	items: IDataObject[];
	state: TriggerState;
}

/**
 * One poll, from the stored state to the items and the next state. It reads and returns;
 * it does not store. A throw here (the listing failed) leaves the stored state untouched,
 * so the next poll lists the same range again and nothing is skipped.
 */
export async function pollOnce(
	client: AlibabaClient,
	params: TriggerParameters,
	stored: unknown,
	now: number,
): Promise<PollOutcome> {
	const state = readState(stored, params.aiAgentId, params.startFrom, now);
	const listed = await listInstancesInRange(client, {
		aiAgentId: params.aiAgentId,
		range: { startMs: listStart(state, params.overlapMs), endMs: now },
		pageSize: MAX_PAGE_SIZE,
		order: 'oldestFirst',
		now,
	});

	const pendingByKey = new Map(state.pending.map((entry) => [entry.key, entry]));
	const fresh = oldestFirst(listed)
		.map((entry) => ({ call: observedFromList(entry, now), instance: entry.item }))
		.filter(({ call }) => state.emitted[call.key] === undefined);
	const listedKeys = new Set(fresh.map(({ call }) => call.key));
	// Pending calls the listing no longer reaches are older than it: they come first.
	const missing = state.pending
		.filter((entry) => !listedKeys.has(entry.key))
		.sort((a, b) => a.createdBy - b.createdBy || a.firstSeenAt - b.firstSeenAt);

	const downloads = new Semaphore(params.concurrency);
	const observations: Observation[] = await mapConcurrent(
		[...missing.map((pending) => ({ pending })), ...fresh],
		params.concurrency,
		async (work) =>
			'pending' in work
				? await recheck(client, downloads, work.pending, params)
				: await inspect(client, downloads, work.call, work.instance, params),
	);

	const items: IDataObject[] = [];
	const emitted = { ...state.emitted };
	const pending: PendingCall[] = [];
	for (const observation of observations) {
		const previous = pendingByKey.get(observation.call.key);
		const decision = decide(observation.call, previous, observation.outcome, now, params);
		if (!decision.emit) {
			pending.push(decision.pending);
			continue;
		}
		emitted[observation.call.key] = observation.call.createdBy;
		items.push(
			callItem(
				{
					instance: observation.instance ?? { Status: observation.call.status },
					describedId: observation.describedId,
					knownId: observation.call.instanceId,
					callLog: observation.callLog,
					callLogError: decision.callLogError,
				},
				params.includeRawCallLog,
			),
		);
	}
	const next: TriggerState = { ...state, lowWater: now, pending, emitted };
	next.emitted = pruneEmitted(emitted, listStart(next, params.overlapMs));
	return { items, state: next };
}

/**
 * The poll n8n runs on schedule. The new state replaces the old in one assignment just
 * before returning; n8n saves static data when it takes the returned items (and after
 * activation), so a call is remembered as emitted only together with being handed over.
 */
export async function pollAndStore(
	ctx: IPollFunctions,
	client: AlibabaClient,
	params: TriggerParameters,
): Promise<INodeExecutionData[][] | null> {
	const staticData = ctx.getWorkflowStaticData('node');
	const { items, state } = await pollOnce(client, params, staticData[STATE_KEY], Date.now());
	staticData[STATE_KEY] = toStaticData(state);
	return items.length > 0 ? [items.map((json) => ({ json }))] : null;
}
