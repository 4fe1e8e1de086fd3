import { md5Hex } from '../deterministic';
import { ApiError, invalidParameter } from '../errors';
import type { Exchange } from '../exchange';
import { targetOf } from '../faults';
import type { ServiceContext } from '../service-context';
import { bigInstance, callLogUrlFor } from './call-logs';
import type { Dialogue, IceInstance } from './ice-data';
import { gmt, intParam, isoParam, requiredParam } from './params';
import type { ApiVariants } from '../variants';

function runtimeConfig(instance: IceInstance) {
	const ids = {
		AgentUserId: `agent_${md5Hex(`${instance.id}:agent`).slice(0, 16)}`,
		AuthToken: md5Hex(`${instance.id}:token`),
		ChannelId: `channel_${md5Hex(`${instance.id}:channel`).slice(0, 16)}`,
	};
	return { ...ids, VoiceChat: { ...ids } };
}

const AGENT_CONFIG = {
	Greeting: '您好，我是智能客服小云，请问有什么可以帮您？',
	AsrConfig: { AsrLanguageId: 'zh_cn', AsrHotWords: [], AsrMaxSilence: 400 },
	TtsConfig: { VoiceId: 'zhixiaoxia' },
	LlmConfig: { LlmSystemPrompt: '你是一名耐心、专业的客服。', LlmHistoryLimit: 10 },
	InterruptConfig: { EnableVoiceInterrupt: true },
	MaxIdleTime: 600,
	UserOnlineTimeout: 60,
	UserOfflineTimeout: 5,
	Volume: 100,
};

const TEMPLATE_CONFIG = {
	VoiceChat: {
		Greeting: AGENT_CONFIG.Greeting,
		LlmSystemPrompt: AGENT_CONFIG.LlmConfig.LlmSystemPrompt,
		VoiceId: AGENT_CONFIG.TtsConfig.VoiceId,
		MaxIdleTime: AGENT_CONFIG.MaxIdleTime,
	},
};

/** The fields ListAIAgentInstance returns; the real API has no InstanceId, GmtCreate or TotalCount here. */
function listItem(instance: IceInstance, baseUrl: string, variants: ApiVariants) {
	return {
		...(variants.iceListItemIds ? { InstanceId: instance.id, SessionId: sessionIdOf(instance, variants) } : {}),
		CallLogUrl: callLogUrlFor(instance, baseUrl, variants.iceCallLogLayout),
		RuntimeConfig: runtimeConfig(instance),
		Status: instance.status,
		TemplateConfig: TEMPLATE_CONFIG,
		UserData: instance.userData,
		AgentConfig: AGENT_CONFIG,
	};
}

/** The doc says SessionId is "empty by default". */
function sessionIdOf(instance: IceInstance, variants: ApiVariants): string {
	return variants.iceSessionId === 'empty' ? '' : instance.sessionId;
}

function callInfo(instance: IceInstance) {
	if (instance.status !== 'Finished') return undefined;
	const digits = (seed: string) => '1' + (parseInt(md5Hex(seed).slice(0, 10), 16) % 10_000_000_000).toString().padStart(10, '0');
	return {
		CallDuration: instance.durationS,
		CallStartTime: gmt(instance.createdAt),
		CallEndTime: gmt(instance.createdAt + instance.durationS * 1000),
		CallerNumber: digits(`${instance.id}:caller`),
		CalleeNumber: digits(`${instance.id}:callee`),
		HangupRole: 1,
		Status: '4',
	};
}

export function describeAIAgentInstance(ex: Exchange, ctx: ServiceContext): void {
	const id = requiredParam(ex.query, 'InstanceId');
	const instance = ctx.ice.instances.get(id) ?? bigInstance(ctx, id);
	if (!instance) {
		throw new ApiError(404, 'Forbidden.ResourceNotFound', `The specified AI agent instance ${id} does not exist.`);
	}
	const modified = instance.status === 'Finished' ? instance.createdAt + instance.durationS * 1000 : instance.createdAt;
	const target = targetOf(ex, { instanceId: id });
	const logPending = instance.status === 'Finished' && ctx.state.faults.take(target, ['callLogUrlPending']) !== undefined;
	ex.sendJson(200, {
		RequestId: ex.requestId,
		Instance: {
			...listItem(instance, ex.baseUrl, ctx.state.variants),
			...(logPending ? { CallLogUrl: '' } : {}),
			SessionId: sessionIdOf(instance, ctx.state.variants),
			GmtCreate: gmt(instance.createdAt),
			GmtModified: gmt(modified),
			CallInfo: callInfo(instance),
		},
	});
}

export function listAIAgentInstance(ex: Exchange, ctx: ServiceContext): void {
	const agentId = requiredParam(ex.query, 'AIAgentId');
	ctx.state.iceScript?.beforeList(agentId);
	const start = isoParam(ex.query, 'StartTime');
	const end = isoParam(ex.query, 'EndTime');
	const pageNumber = intParam(ex.query, 'PageNumber', { min: 1, max: 100, fallback: 1 });
	const pageSize = intParam(ex.query, 'PageSize', { min: 0, max: 100, fallback: 10 });
	const matching = (ctx.ice.agents.get(agentId) ?? []).filter(
		(i) => (start === undefined || i.createdAt >= start) && (end === undefined || i.createdAt <= end),
	);
	const page = matching.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
	ex.sendJson(200, { RequestId: ex.requestId, Instances: page.map((i) => listItem(i, ex.baseUrl, ctx.state.variants)) });
}

function requiredMs(query: Record<string, string>, name: string): number {
	const raw = requiredParam(query, name);
	if (!/^\d+$/.test(raw)) throw invalidParameter(name, `${raw} must be a Unix time in milliseconds.`);
	return Number(raw);
}

export function listAIAgentDialogues(ex: Exchange, ctx: ServiceContext): void {
	const sessionId = requiredParam(ex.query, 'SessionId');
	const start = requiredMs(ex.query, 'StartTime');
	const end = requiredMs(ex.query, 'EndTime');
	const pageNumber = intParam(ex.query, 'PageNumber', { min: 1, fallback: 1 });
	const pageSize = intParam(ex.query, 'PageSize', { min: 1, max: 100, fallback: 20 });
	const order = (ex.query.Order ?? 'DESC').toUpperCase();
	if (order !== 'ASC' && order !== 'DESC') throw invalidParameter('Order', 'must be ASC or DESC.');
	const roundLimit = ex.query.RoundLimit ? intParam(ex.query, 'RoundLimit', { min: 1, fallback: 1 }) : undefined;

	let dialogues: Dialogue[] = (ctx.ice.sessions.get(sessionId) ?? []).filter((d) => d.Time >= start && d.Time <= end);
	if (roundLimit !== undefined) {
		const rounds = [...new Set(dialogues.map((d) => d.RoundId))].slice(-roundLimit);
		dialogues = dialogues.filter((d) => rounds.includes(d.RoundId));
	}
	const ordered = order === 'ASC' ? dialogues : [...dialogues].reverse();
	// RoundLimit replaces paging (SDK doc), so those rounds come back whole.
	const page = roundLimit !== undefined ? ordered : ordered.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
	ex.sendJson(200, { RequestId: ex.requestId, Dialogues: page });
}
