import { md5Hex } from '../deterministic';
import { buildIceData, type CallLogSource, generatedInstance, type IceData, type IceInstance } from './ice-data';

/**
 * Scripted time for ICE calls (issue 12): calls that start running and finish later, logs that
 * 404 for a while or never appear, calls inserted between two page reads, agents with more
 * calls than 100 pages hold. Nothing here runs unless a test asks; reset() restores the
 * fixtures exactly as they were built.
 */

export type ScriptedStatus = IceInstance['status'];
export type ScriptedLog = 'generated' | 'seed' | 'missing' | 'malformed' | 'expired' | 'outOfOrder';

export interface ScriptedCall {
	/** Default: a 32-hex id derived from the agent and a counter. */
	id?: string;
	/** Unix ms or ISO 8601; default now. */
	createdAt?: number | string;
	/** Default Finished. */
	status?: ScriptedStatus;
	/** What the log URL serves once the call has ended (default generated). */
	log?: ScriptedLog;
	sentences?: number;
	/** How many GETs of the log answer 404 NoSuchKey before it appears (after the call ended). */
	logMissingGets?: number;
	/** Show CallLogUrl in the list while the call runs (default: empty until it ends). */
	urlWhileRunning?: boolean;
	durationS?: number;
}

export interface CallUpdate {
	status?: ScriptedStatus;
	log?: ScriptedLog;
	sentences?: number;
	logMissingGets?: number;
	urlWhileRunning?: boolean;
}

export interface BulkCalls {
	agentId: string;
	count: number;
	/** First creation time (Unix ms or ISO); default now - count * intervalMs. */
	from?: number | string;
	/** Default 1000 ms. */
	intervalMs?: number;
	status?: ScriptedStatus;
}

export interface ScriptedCallView {
	id: string;
	agentId: string;
	status: ScriptedStatus;
	createdAt: number;
	log: CallLogSource['kind'];
	logMissingGets: number;
}

interface PendingInsert {
	agentId: string;
	/** ListAIAgentInstance requests for the agent still to arrive before the insert (1 = the next one). */
	remaining: number;
	calls: ScriptedCall[];
}

const STATUSES: readonly ScriptedStatus[] = ['Created', 'Executing', 'Finished'];
const LOGS: readonly ScriptedLog[] = ['generated', 'seed', 'missing', 'malformed', 'expired', 'outOfOrder'];

function timeOf(value: number | string | undefined, fallback: number): number {
	if (value === undefined || value === null) return fallback;
	const ms = typeof value === 'number' ? value : Date.parse(value);
	if (!Number.isFinite(ms)) throw new Error(`"${String(value)}" is not a Unix ms time or an ISO 8601 time`);
	return ms;
}

function logSource(log: ScriptedLog | undefined, sentences: number | undefined): CallLogSource {
	switch (log ?? 'generated') {
		case 'generated':
			return { kind: 'generated', sentences: sentences ?? 4 };
		case 'seed':
			return { kind: 'seed' };
		case 'missing':
			return { kind: 'missing' };
		case 'malformed':
			return { kind: 'malformed' };
		case 'expired':
			return { kind: 'expired' };
		case 'outOfOrder':
			return { kind: 'outOfOrder', sentences: sentences ?? 4 };
		default:
			throw new Error(`log must be one of ${LOGS.join(', ')}`);
	}
}

function checkStatus(status: unknown): ScriptedStatus | undefined {
	if (status === undefined) return undefined;
	if (!STATUSES.includes(status as ScriptedStatus)) throw new Error(`status must be one of ${STATUSES.join(', ')}`);
	return status as ScriptedStatus;
}

export class IceScript {
	private counter = 0;

	private inserts: PendingInsert[] = [];

	/** Whether a script changed the ICE data, so reset() has to rebuild the fixtures. */
	private dirty = false;

	constructor(
		private readonly ice: IceData,
		private readonly instancesPerAgent: number,
	) {}

	/** Adds calls to an agent (a new agent id is created). Returns their ids. */
	addCalls(agentId: string, calls: ScriptedCall[]): string[] {
		const now = Date.now();
		const list = this.ice.agents.get(agentId) ?? [];
		this.ice.agents.set(agentId, list);
		const ids: string[] = [];
		for (const call of calls) {
			const index = this.counter++;
			const id = call.id ?? md5Hex(`${agentId}#script#${index}`);
			if (this.ice.instances.has(id)) throw new Error(`instance ${id} exists already`);
			const instance = generatedInstance(agentId, index, timeOf(call.createdAt, now), id);
			instance.status = checkStatus(call.status) ?? 'Finished';
			instance.callLog = logSource(call.log, call.sentences);
			instance.logMissingGets = Math.max(0, Math.floor(call.logMissingGets ?? 0));
			instance.urlWhileRunning = call.urlWhileRunning === true;
			if (call.durationS !== undefined) instance.durationS = call.durationS;
			list.push(instance);
			this.ice.instances.set(id, instance);
			ids.push(id);
		}
		// ListAIAgentInstance pages newest first; a stable sort keeps equal times in insertion order.
		list.sort((a, b) => b.createdAt - a.createdAt);
		this.dirty = true;
		return ids;
	}

	/** `count` finished calls, one every `intervalMs`, e.g. more than 100 pages of 100. */
	addBulk(bulk: BulkCalls): { first: number; last: number; count: number } {
		const interval = bulk.intervalMs ?? 1000;
		const count = Math.max(0, Math.floor(bulk.count));
		const first = timeOf(bulk.from, Date.now() - count * interval);
		const status = checkStatus(bulk.status);
		this.addCalls(
			bulk.agentId,
			Array.from({ length: count }, (_, i) => ({ createdAt: first + i * interval, status })),
		);
		return { first, last: first + (count - 1) * interval, count };
	}

	/** Finishes a call, switches its log, or makes its log 404 for a few more GETs. */
	updateCall(id: string, update: CallUpdate): void {
		const instance = this.ice.instances.get(id);
		if (!instance) throw new Error(`no instance ${id}`);
		const status = checkStatus(update.status);
		if (status) instance.status = status;
		if (update.log !== undefined || update.sentences !== undefined) {
			instance.callLog = logSource(update.log, update.sentences);
		}
		if (update.logMissingGets !== undefined) instance.logMissingGets = Math.max(0, Math.floor(update.logMissingGets));
		if (update.urlWhileRunning !== undefined) instance.urlWhileRunning = update.urlWhileRunning;
		this.dirty = true;
	}

	/** Inserts calls just before the `listRequest`-th ListAIAgentInstance request for the agent from now (1 = next). */
	insertBeforeList(agentId: string, listRequest: number, calls: ScriptedCall[]): void {
		this.inserts.push({ agentId, remaining: Math.max(1, Math.floor(listRequest)), calls });
	}

	/** Called by ListAIAgentInstance before it reads the agent's calls. */
	beforeList(agentId: string): void {
		const due: PendingInsert[] = [];
		for (const insert of this.inserts) {
			if (insert.agentId !== agentId) continue;
			insert.remaining--;
			if (insert.remaining === 0) due.push(insert);
		}
		if (due.length === 0) return;
		this.inserts = this.inserts.filter((insert) => !due.includes(insert));
		for (const insert of due) this.addCalls(insert.agentId, insert.calls);
	}

	/** Called by the call-log route: a running call's log, or one scripted to be late, is not there yet. */
	logUnavailable(instance: IceInstance): boolean {
		if (instance.status !== 'Finished') return true;
		if ((instance.logMissingGets ?? 0) > 0) {
			instance.logMissingGets = (instance.logMissingGets ?? 0) - 1;
			return true;
		}
		return false;
	}

	/** Whether the list shows the call's CallLogUrl: not while it runs, unless scripted to. */
	showsUrl(instance: IceInstance): boolean {
		return instance.status === 'Finished' || instance.urlWhileRunning === true;
	}

	calls(agentId: string): ScriptedCallView[] {
		return (this.ice.agents.get(agentId) ?? []).map((instance) => ({
			id: instance.id,
			agentId: instance.agentId,
			status: instance.status,
			createdAt: instance.createdAt,
			log: instance.callLog.kind,
			logMissingGets: instance.logMissingGets ?? 0,
		}));
	}

	reset(): void {
		this.inserts = [];
		this.counter = 0;
		if (!this.dirty) return;
		Object.assign(this.ice, buildIceData(this.instancesPerAgent));
		this.dirty = false;
	}
}
