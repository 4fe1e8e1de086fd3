import { FIXTURES } from '../fixture-ids';
import type { ApiVariants } from '../variants';

export interface DianjinLine {
	role: '0' | '1';
	customerServiceType: '0' | '1';
	customerServiceId: string;
	customerId: string;
	content: string;
	type: 'text';
	id: number;
	intentCode: string;
	intentName: string;
	hangUpDialog: boolean;
}

export interface DianjinSession {
	sessionId: string;
	/** Beijing time, yyyy-MM-dd HH:mm:ss; compared as strings, which orders correctly in this format. */
	gmtCreate: string;
	status: 'COMPLETED' | 'PROCESSING';
	lines: DianjinLine[];
}

export interface DianjinData {
	sessions: Map<string, DianjinSession>;
}

type Speaker = 'customer' | 'bot' | 'human';

/** Eight lines: the bot opens, the customer asks, a human seat takes over and closes. */
const SCRIPT: Array<[Speaker, string, string]> = [
	['bot', '您好，这里是点金智能客服，请问有什么可以帮您？', '开场白'],
	['customer', '我上周买的基金一直显示确认中，是怎么回事？', '客户询问基金确认状态'],
	['bot', '基金申购一般在T+1个工作日确认，请问您是哪天提交的？', '解释确认规则'],
	['customer', '上周五下午提交的，现在还没好，我想找人工。', '客户要求转人工'],
	['human', '您好，我是人工客服小李，已经为您查到订单，目前正在份额登记中。', '人工查询订单'],
	['customer', '那大概什么时候能好？', '客户询问完成时间'],
	['human', '预计今天收盘后完成确认，届时会短信通知您。', '告知预计时间'],
	['customer', '好的，谢谢。', '客户结束对话'],
];

function lines(sessionId: string, count: number): DianjinLine[] {
	const base = Number(sessionId.slice(-6)) * 1000 + 1742869659000;
	return SCRIPT.slice(0, count).map(([speaker, content, intentName], i) => ({
		role: speaker === 'customer' ? '0' : '1',
		customerServiceType: speaker === 'human' ? '1' : '0',
		customerServiceId: speaker === 'human' ? 'agent_li_007' : 'BOT',
		customerId: `cust_${sessionId.slice(-4)}`,
		content,
		type: 'text',
		id: base + i,
		intentCode: `19387463${String(4000 + i)}`,
		intentName,
		hangUpDialog: i === count - 1 && count === SCRIPT.length,
	}));
}

export function buildDianjinData(): DianjinData {
	const f = FIXTURES.dianjin;
	const sessions = new Map<string, DianjinSession>();
	f.sessionIds.forEach((sessionId, i) => {
		const processing = sessionId === f.processingSessionId;
		sessions.set(sessionId, {
			sessionId,
			gmtCreate: f.sessionTimes[i],
			status: processing ? 'PROCESSING' : 'COMPLETED',
			lines: lines(sessionId, processing ? 3 : SCRIPT.length),
		});
	});
	return { sessions };
}

/** Turns as the doc counts them: consecutive lines of one side are one turn; valid turns are question/answer pairs. */
export function dialogTurns(session: DianjinSession): { total: number; valid: number } {
	let total = 0;
	let previous: string | undefined;
	for (const line of session.lines) {
		if (line.role !== previous) total += 1;
		previous = line.role;
	}
	const last = session.lines[session.lines.length - 1];
	if (last && last.role === '1' && !last.hangUpDialog) total -= 1;
	return { total, valid: Math.floor(total / 2) };
}

/** 2025-09-01 00:00:00 Beijing time, as Unix ms. */
const BULK_START_MS = Date.UTC(2025, 7, 31, 16, 0, 0);
let bulkCache: { key: string; sessions: DianjinSession[] } | undefined;

function beijing(ms: number): string {
	return new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * The `dianjinBulkSessions` variant: that many sessions (every 50th finished, the rest running), `dianjinBulkSpacingS` apart
 * (several may share one second when the spacing is 0), after every fixed session.
 */
export function bulkSessions(variants: ApiVariants): DianjinSession[] {
	const count = variants.dianjinBulkSessions;
	if (count <= 0) return [];
	const key = `${count}/${variants.dianjinBulkSpacingS}`;
	if (bulkCache?.key !== key) {
		bulkCache = {
			key,
			sessions: Array.from({ length: count }, (_, i) => {
				const sessionId = `19066239238156${String(i).padStart(5, '0')}`;
				return {
					sessionId,
					gmtCreate: beijing(BULK_START_MS + i * variants.dianjinBulkSpacingS * 1000),
					// Mostly still running, so tests of thousands of sessions do not download thousands of files.
					status: i % 50 === 0 ? ('COMPLETED' as const) : ('PROCESSING' as const),
					lines: lines(sessionId, 2),
				};
			}),
		};
	}
	return bulkCache.sessions;
}
