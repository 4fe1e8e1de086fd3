import { md5Hex, pick, seededInt } from '../deterministic';
import { FIXTURES } from '../fixture-ids';

export type CallLogSource =
	| { kind: 'generated'; sentences: number }
	| { kind: 'seed' }
	| { kind: 'none' }
	| { kind: 'malformed' }
	| { kind: 'expired' }
	| { kind: 'missing' }
	| { kind: 'huge' }
	| { kind: 'big'; sentences: number }
	/** Generated sentences written with each neighbouring pair swapped, as a writer that flushes late would leave them. */
	| { kind: 'outOfOrder'; sentences: number }
	/** The URL is not an endpoint origin, to test a client's URL checks; no origin = the emulator over HTTPS. */
	| { kind: 'offsite'; origin?: string };

export interface IceInstance {
	id: string;
	agentId: string;
	status: 'Finished' | 'Executing' | 'Created';
	/** Unix ms. */
	createdAt: number;
	durationS: number;
	sessionId: string;
	userData: string;
	callLog: CallLogSource;
	/** Scripted calls (ice-script.ts): 404s the log answers before it appears. */
	logMissingGets?: number;
	/** Scripted calls: the list shows the CallLogUrl while the call runs (default: empty until it ends). */
	urlWhileRunning?: boolean;
}

export interface Dialogue {
	DialogueId: string;
	RoundId: string;
	Producer: 'user' | 'agent';
	Text: string;
	ReasoningText: string;
	Time: number;
	Type: 'greeting' | 'normal';
	Source: 'call';
	NodeId: string;
	Extend: string;
	AttachedFileList: never[];
}

export interface IceData {
	instances: Map<string, IceInstance>;
	/** Agent id → its instances, newest first (the order ListAIAgentInstance pages through). */
	agents: Map<string, IceInstance[]>;
	sessions: Map<string, Dialogue[]>;
}

/** Instance ids of generated agents look like real ones: 32 hex digits. */
export function generatedInstanceId(agentId: string, index: number): string {
	return md5Hex(`${agentId}#${index}`);
}

const CUSTOMERS = ['张先生', '李女士', '王先生', '赵女士', 'Mr. Smith', 'Ms. Chen'];
const TOPICS = ['查询订单物流', '修改收货地址', '申请退款', '咨询会员权益', '开具发票', '预约上门维修'];

export function generatedInstance(agentId: string, index: number, createdAt: number, id?: string): IceInstance {
	const instanceId = id ?? generatedInstanceId(agentId, index);
	return {
		id: instanceId,
		agentId,
		status: 'Finished',
		createdAt,
		durationS: 60 + seededInt(`${instanceId}:duration`, 240),
		sessionId: md5Hex(`${instanceId}:session`),
		userData: JSON.stringify({
			customer: pick(CUSTOMERS, instanceId),
			topic: pick(TOPICS, `${instanceId}:topic`),
			ticket: `T${100000 + index}`,
		}),
		callLog: { kind: 'generated', sentences: 4 + (index % 5) },
	};
}

function special(id: string, agentId: string, createdAt: number, callLog: CallLogSource): IceInstance {
	return { ...generatedInstance(agentId, 0, createdAt, id), callLog, status: callLog.kind === 'none' ? 'Executing' : 'Finished' };
}

function buildSessionDialogues(): Dialogue[] {
	const { sessionStartTime, sessionRoundCount } = FIXTURES.ice;
	const dialogues: Dialogue[] = [];
	const push = (round: number, producer: Dialogue['Producer'], text: string, type: Dialogue['Type']) => {
		const n = dialogues.length;
		dialogues.push({
			DialogueId: md5Hex(`dialogue#${n}`),
			RoundId: md5Hex(`round#${round}`),
			Producer: producer,
			Text: text,
			ReasoningText: '',
			Time: sessionStartTime + n * 7000,
			Type: type,
			Source: 'call',
			NodeId: producer === 'agent' ? `node-${round % 4}` : '',
			Extend: '',
			AttachedFileList: [],
		});
	};
	push(1, 'agent', '您好，我是智能客服小云，请问有什么可以帮您？', 'greeting');
	for (let round = 2; round <= sessionRoundCount; round++) {
		push(round, 'user', `第${round - 1}个问题：${TOPICS[round % TOPICS.length]}怎么办？`, 'normal');
		push(round, 'agent', `关于${TOPICS[round % TOPICS.length]}，我已经为您查询，第${round - 1}个问题已处理。`, 'normal');
	}
	return dialogues;
}

export function buildIceData(instancesPerAgent: number): IceData {
	const f = FIXTURES.ice;
	const agents = new Map<string, IceInstance[]>();
	const hour = 60 * 60 * 1000;

	const defaultStart = Date.parse(f.defaultAgentFirstCreate);
	agents.set(
		f.agentId,
		Array.from({ length: instancesPerAgent }, (_, i) =>
			generatedInstance(f.agentId, i, defaultStart + i * f.defaultAgentIntervalMs),
		),
	);
	const benchStart = Date.parse(f.benchAgentFirstCreate);
	agents.set(
		f.benchAgentId,
		Array.from({ length: f.benchInstanceCount }, (_, i) => generatedInstance(f.benchAgentId, i, benchStart + i * 10 * 60 * 1000)),
	);

	const mixedStart = Date.parse('2025-08-14T02:21:12.000+00:00');
	const seed = special(f.seedInstanceId, f.mixedAgentId, mixedStart, { kind: 'seed' });
	seed.sessionId = f.sessionId;
	agents.set(f.mixedAgentId, [
		seed,
		special(f.finishedInstanceIds[1], f.mixedAgentId, mixedStart + hour, { kind: 'generated', sentences: 5 }),
		special(f.finishedInstanceIds[2], f.mixedAgentId, mixedStart + 2 * hour, { kind: 'generated', sentences: 6 }),
		special(f.executingInstanceId, f.mixedAgentId, mixedStart + 3 * hour, { kind: 'none' }),
		special(f.malformedLogInstanceId, f.mixedAgentId, mixedStart + 4 * hour, { kind: 'malformed' }),
		special(f.expiredLogInstanceId, f.mixedAgentId, mixedStart + 5 * hour, { kind: 'expired' }),
		special(f.missingLogInstanceId, f.mixedAgentId, mixedStart + 6 * hour, { kind: 'missing' }),
	]);
	agents.set(f.stressAgentId, [
		special(f.hugeLogInstanceId, f.stressAgentId, mixedStart, { kind: 'huge' }),
		special(f.bigInstanceId, f.stressAgentId, mixedStart + hour, { kind: 'big', sentences: f.bigSentenceCount }),
	]);
	agents.set(f.emptyAgentId, []);
	agents.set(f.offsiteAgentId, [
		special(f.offsiteLogInstanceId, f.offsiteAgentId, mixedStart, { kind: 'offsite' }),
		special(f.plainHttpLogInstanceId, f.offsiteAgentId, mixedStart + hour, { kind: 'offsite', origin: f.plainHttpLogOrigin }),
	]);

	const instances = new Map<string, IceInstance>();
	for (const [agentId, list] of agents) {
		list.sort((a, b) => b.createdAt - a.createdAt);
		for (const instance of list) instances.set(instance.id, instance);
		agents.set(agentId, list);
	}
	return { instances, agents, sessions: new Map([[f.sessionId, buildSessionDialogues()]]) };
}
