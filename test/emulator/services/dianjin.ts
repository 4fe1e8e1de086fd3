import type { Exchange } from '../exchange';
import { FIXTURES } from '../fixture-ids';
import type { ServiceContext } from '../service-context';
import { bulkSessions, type DianjinSession, dialogTurns } from './dianjin-data';
import { ossHeaders, sendOssExpired, sendOssNoSuchKey, signedObjectUrl, signedUrlExpired } from './oss';
import { requiredParam } from './params';

const INLINE_LIMIT = 10;
const URL_LIMIT = 1000;
const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** DianJin time stamps are Beijing time, yyyy-MM-dd HH:mm:ss. */
function beijingNow(): string {
	return new Date(Date.now() + 8 * 3600 * 1000).toISOString().replace('T', ' ').slice(0, 19);
}

function envelope(ex: Exchange, fields: Record<string, unknown>): Record<string, unknown> {
	return { success: true, errCode: '0', message: 'ok', requestId: ex.requestId, time: beijingNow(), dataType: null, cost: 0, ...fields };
}

/** DianJin reports business errors as HTTP 200 with success:false. */
function sendBusinessError(ex: Exchange, errCode: string, message: string): void {
	ex.sendJson(200, envelope(ex, { success: false, errCode, message, data: null }));
}

function workspaceKnown(ex: Exchange, workspaceId: string): boolean {
	if (workspaceId === FIXTURES.dianjin.workspaceId) return true;
	sendBusinessError(ex, 'WORKSPACE_NOT_EXIST', `Workspace ${workspaceId} does not exist or you have no permission.`);
	return false;
}

/** GET /{workspaceId}/api/virtualHuman/dialog/detail?sessionId= */
export function getDialogDetail(ex: Exchange, ctx: ServiceContext, workspaceId: string): void {
	const sessionId = requiredParam(ex.query, 'sessionId');
	if (!workspaceKnown(ex, workspaceId)) return;
	const session = ctx.dianjin.sessions.get(sessionId);
	if (!session) {
		sendBusinessError(ex, 'DIALOG_NOT_FOUND', `The dialog with sessionId ${sessionId} was not found.`);
		return;
	}
	const turns = dialogTurns(session);
	ex.sendJson(
		200,
		envelope(ex, {
			data: {
				totalDialogTurns: turns.total,
				validDialogTurns: turns.valid,
				dialogueList: session.lines,
				status: session.status,
				gmtCreate: session.gmtCreate,
			},
		}),
	);
}

function analysisResp(session: DianjinSession) {
	const customer = session.lines.filter((l) => l.role === '0');
	return {
		dialogLabels: [
			{ name: '业务类型', value: '基金申购' },
			{ name: '是否转人工', value: session.lines.some((l) => l.customerServiceType === '1') ? '1' : '0' },
		],
		dialogSummary: `客户就“${customer[0]?.content ?? ''}”进行咨询，共${session.lines.length}句。`,
		dialogExecPlan: '1. 确认申购时间；2. 查询份额登记进度；3. 告知预计完成时间。',
		dialogSop: '开场 → 问题确认 → 转人工 → 解决 → 结束',
		dialogProcessAnalysis: { turns: dialogTurns(session).total, transferredToHuman: true },
		dialogOpenAnalysis: { sentiment: 'neutral', sessionId: session.sessionId },
	};
}

export function analysisObjectPath(sessionId: string): string {
	return `/dianjin/analysis/${encodeURIComponent(sessionId)}.json`;
}

interface AnalysisQuery {
	sessionIds?: string[];
	startTime?: string;
	endTime?: string;
	useUrl: boolean;
	asc: boolean;
}

function parseAnalysisQuery(body: unknown): AnalysisQuery | string {
	const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
	const ids = b.sessionIds;
	if (ids !== undefined && (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string'))) return 'sessionIds must be an array of strings.';
	for (const name of ['startTime', 'endTime'] as const) {
		const v = b[name];
		if (v !== undefined && (typeof v !== 'string' || !DATE_TIME.test(v))) return `${name} must be yyyy-MM-dd HH:mm:ss.`;
	}
	const hasIds = Array.isArray(ids) && ids.length > 0;
	const hasRange = typeof b.startTime === 'string' && typeof b.endTime === 'string';
	if (!hasIds && !hasRange) return 'Either sessionIds or startTime and endTime must be given.';
	return {
		sessionIds: hasIds ? (ids as string[]) : undefined,
		startTime: b.startTime as string | undefined,
		endTime: b.endTime as string | undefined,
		useUrl: b.useUrl !== false,
		asc: b.asc !== false,
	};
}

/** POST /{workspaceId}/api/virtualHuman/dialog/analysis */
export function getDialogAnalysisResult(ex: Exchange, ctx: ServiceContext, workspaceId: string): void {
	if (!workspaceKnown(ex, workspaceId)) return;
	const query = parseAnalysisQuery(ex.json());
	if (typeof query === 'string') {
		sendBusinessError(ex, 'PARAM_ERROR', query);
		return;
	}
	let sessions = [...ctx.dianjin.sessions.values(), ...bulkSessions(ctx.state.variants)];
	if (query.sessionIds) sessions = sessions.filter((s) => query.sessionIds!.includes(s.sessionId));
	if (query.startTime && query.endTime) {
		sessions = sessions.filter((s) => s.gmtCreate >= query.startTime! && s.gmtCreate <= query.endTime!);
	}
	sessions.sort((a, b) => (query.asc ? a.gmtCreate.localeCompare(b.gmtCreate) : b.gmtCreate.localeCompare(a.gmtCreate)));
	const limit = query.useUrl ? URL_LIMIT : INLINE_LIMIT;
	const asked = Math.max(sessions.length, query.sessionIds?.length ?? 0);
	if (asked > limit && ctx.state.variants.dianjinRangeCap === 'silent' && !query.sessionIds) {
		// As documented: only the first sessions are processed, and nothing says so.
		sessions = sessions.slice(0, limit);
	} else if (asked > limit) {
		sendBusinessError(ex, 'PARAM_ERROR', `Too many sessions (${asked}); at most ${limit} with useUrl=${String(query.useUrl)}.`);
		return;
	}
	const list = sessions.map((s) => {
		const done = s.status === 'COMPLETED';
		return {
			sessionId: s.sessionId,
			gmtCreate: s.gmtCreate,
			status: done ? 'success' : 'running',
			ossUrl: done && query.useUrl ? signedObjectUrl(ex.baseUrl, analysisObjectPath(s.sessionId)) : null,
			analysisResp: done && !query.useUrl ? analysisResp(s) : null,
		};
	});
	ex.sendJson(200, envelope(ex, { data: { dialogAnalysisRespList: list } }));
}

/** GET /dianjin/analysis/<sessionId>.json: the analysisResp object an ossUrl points at. */
export function serveAnalysisObject(ex: Exchange, ctx: ServiceContext): void {
	const match = /^\/dianjin\/analysis\/([^/]+)\.json$/.exec(ex.rawPath);
	const sessionId = match ? decodeURIComponent(match[1]) : '';
	const expiredAt = signedUrlExpired(ex);
	if (expiredAt !== undefined) {
		sendOssExpired(ex, expiredAt);
		return;
	}
	const session = ctx.dianjin.sessions.get(sessionId) ?? bulkSessions(ctx.state.variants).find((s) => s.sessionId === sessionId);
	if (!session || session.status !== 'COMPLETED') {
		sendOssNoSuchKey(ex, ex.rawPath.slice(1));
		return;
	}
	ex.sendJson(200, analysisResp(session), ossHeaders());
}
