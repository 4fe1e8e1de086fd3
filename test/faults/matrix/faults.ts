/**
 * The matrix's rows: one fault each, as the emulator injects it, and what a user must be told.
 * A row names the stages it can hit in order of preference; a column (nodes.ts) says which
 * stages it has, so the same fault lands on a column's own call.
 */
import type { Fault, FaultMatch } from '../../emulator';

/**
 * Where in a node's work a fault lands.
 * - `api`: the node's own per-item call (signed, or the chatbot's unsigned stream POST);
 * - `signed`: a signed call (for the chatbot: its shared token request);
 * - `file`: the download of a link an API answer gave (call log, DianJin analysis file);
 * - `stream`: an event-stream answer (chatbot, CCAI with Stream on);
 * - `credential`: the credential itself (every signed call of the run).
 */
export type Stage = 'api' | 'signed' | 'file' | 'stream' | 'credential';

export type Delivery = 'read' | 'billed';

export interface Budget {
	/** The cell's Timeout and Download Deadline. */
	timeoutMs: number;
	deadlineMs: number;
	/** Attempts the policy allows the faulted call. */
	attempts: number;
	/** Extra waits the column itself adds (e.g. Get Call Log waiting for a late log). */
	columnWaitMs: number;
}

export interface FaultRow {
	id: string;
	label: string;
	stages: readonly Stage[];
	/** The emulator fault for a stage, aimed at `match`; undefined for credential rows. */
	fault?: (stage: Stage, match: FaultMatch) => Fault;
	/** Credential rows: the keys to sign with instead of the good ones. */
	credential?: 'wrongSecret' | 'expiredSts' | 'refused';
	/** Alibaba's (or the transport's) code the error must carry. */
	code: RegExp;
	/** "What to do", per delivery: billed calls that may have been processed say so instead. */
	hint: (delivery: Delivery) => RegExp;
	/** The server answered, so its RequestId must be in the error. */
	requestId: boolean;
	/** The server refused the call (not billed): a billed call may be sent again. */
	refused: boolean;
	/** The longest the node may wait because of this fault (before slack). */
	waitMs: (budget: Budget) => number;
}

const NOT_RESENT = /not sent again.*check the result in the Alibaba Cloud console/s;
const TEMPORARY = /temporary failure\. Run the node again in a few minutes/;
const CONNECTION = /Check that n8n can reach the service/;
const THROTTLED = /lower the node's concurrency or requests per second/;
const RAISE_TIMEOUT = /raise Timeout in the node's options/;

const noWait = () => 0;
const retriedTimeouts = (b: Budget) => b.attempts * b.timeoutMs;

/** Retry-After `0` keeps the matrix fast; the date form is exercised with a real wait below. */
const throttle = (match: FaultMatch, extra: Partial<Fault> = {}): Fault => ({
	kind: 'throttle',
	retryAfter: '0',
	match,
	times: Infinity,
	...extra,
});

/** The next whole second at least 0.5 s ahead: the first retry must really wait for it. */
function httpDateSoon(): string {
	return new Date(Math.ceil((Date.now() + 500) / 1000) * 1000).toUTCString();
}

export const FAULT_ROWS: readonly FaultRow[] = [
	{
		id: 'throttling',
		label: 'Throttling (400 Throttling.User)',
		stages: ['api'],
		fault: (_s, match) => throttle(match),
		code: /Throttling\.User/,
		hint: () => THROTTLED,
		requestId: true,
		refused: true,
		waitMs: noWait,
	},
	{
		id: '429-seconds',
		label: '429 + Retry-After: 0 (seconds)',
		stages: ['api'],
		fault: (_s, match) => throttle(match, { status: 429 }),
		code: /Throttling\.User/,
		hint: () => THROTTLED,
		requestId: true,
		refused: true,
		waitMs: noWait,
	},
	{
		id: '429-date',
		label: '429 + Retry-After as HTTP date',
		stages: ['api'],
		fault: (_s, match) => throttle(match, { status: 429, retryAfter: httpDateSoon() }),
		code: /Throttling\.User/,
		hint: () => THROTTLED,
		requestId: true,
		refused: true,
		waitMs: () => 1500,
	},
	{
		id: '500',
		label: '500',
		stages: ['api'],
		fault: (_s, match) => ({ kind: 'serverError', status: 500, retryAfter: '0', match, times: Infinity }),
		code: /ServiceUnavailable/,
		hint: (d) => (d === 'billed' ? NOT_RESENT : TEMPORARY),
		requestId: true,
		refused: false,
		waitMs: noWait,
	},
	{
		id: '503',
		label: '503',
		stages: ['api'],
		fault: (_s, match) => ({ kind: 'serverError', retryAfter: '0', match, times: Infinity }),
		code: /ServiceUnavailable/,
		hint: (d) => (d === 'billed' ? NOT_RESENT : TEMPORARY),
		requestId: true,
		refused: false,
		waitMs: noWait,
	},
	{
		id: 'reset-before',
		label: 'Connection reset before the request is served',
		stages: ['api'],
		fault: (_s, match) => ({ kind: 'resetBeforeRequest', match, times: Infinity }),
		code: /ECONNRESET|socket hang up/,
		// The client cannot tell this reset from one after sending: a billed call stays unsent again.
		hint: (d) => (d === 'billed' ? NOT_RESENT : CONNECTION),
		requestId: false,
		refused: true,
		waitMs: noWait,
	},
	{
		id: 'reset-after',
		label: 'Connection reset after the request is sent',
		stages: ['api'],
		fault: (_s, match) => ({ kind: 'drop', match, times: Infinity }),
		code: /ECONNRESET|socket hang up/,
		hint: (d) => (d === 'billed' ? NOT_RESENT : CONNECTION),
		requestId: false,
		refused: false,
		waitMs: noWait,
	},
	{
		id: 'refused',
		label: 'Connection refused (never sent)',
		stages: ['credential'],
		// Every endpoint of the credential points where nothing listens: the request provably never left.
		credential: 'refused',
		code: /ECONNREFUSED/,
		hint: () => CONNECTION,
		requestId: false,
		refused: true,
		waitMs: noWait,
	},
	{
		id: 'timeout',
		label: 'Timeout before headers',
		stages: ['api'],
		fault: (_s, match) => ({ kind: 'latency', latencyMs: 900, match, times: Infinity }),
		code: /Timeout/,
		hint: (d) => (d === 'billed' ? /raise Timeout in the node's options.*not sent again/s : RAISE_TIMEOUT),
		requestId: false,
		refused: false,
		waitMs: retriedTimeouts,
	},
	{
		id: 'stall',
		label: 'Stall after headers',
		stages: ['file', 'stream', 'api'],
		fault: (_s, match) => ({ kind: 'stallAfterHeaders', match, times: Infinity }),
		code: /Stalled|Timeout/,
		hint: () => RAISE_TIMEOUT,
		requestId: false,
		refused: false,
		waitMs: retriedTimeouts,
	},
	{
		id: 'slow-drip',
		label: 'Slow drip',
		stages: ['file'],
		fault: (_s, match) => ({ kind: 'slowDrip', chunkBytes: 8, intervalMs: 60, match, times: Infinity }),
		code: /DownloadTooSlow/,
		hint: () => /raise Download Deadline in the node's options/,
		requestId: false,
		refused: false,
		waitMs: (b) => b.deadlineMs,
	},
	{
		id: 'truncated-sse',
		label: 'Truncated SSE',
		stages: ['stream'],
		fault: (_s, match) => ({ kind: 'truncateSse', match, times: Infinity }),
		code: /Incomplete|Truncated|StreamEnded|ended/i,
		hint: () => /[Rr]un the node again|check the result/,
		requestId: false,
		refused: false,
		waitMs: noWait,
	},
	{
		id: 'html-sse',
		label: 'HTML instead of SSE',
		stages: ['stream'],
		fault: (_s, match) => ({ kind: 'htmlStream', match, times: Infinity }),
		code: /Html|HTML|NotAStream|InvalidResponse/,
		hint: () => /[Rr]un the node again|[Cc]heck/,
		requestId: false,
		// The chatbot's stream host refuses a URL with this page before processing anything; the node renews its token once.
		refused: true,
		waitMs: noWait,
	},
	{
		id: 'success-false',
		label: 'success:false',
		stages: ['api', 'stream'],
		fault: (stage, match) => ({ kind: stage === 'stream' ? 'sseFailure' : 'successFalse', match, times: Infinity }),
		code: /InternalError/,
		hint: (d) => (d === 'billed' ? /[Rr]un the node again|check the result|temporary failure/ : TEMPORARY),
		requestId: true,
		refused: false,
		waitMs: noWait,
	},
	{
		id: 'link-403',
		label: 'Expired (403) call-log link',
		stages: ['file'],
		fault: (_s, match) => ({ kind: 'callLogExpired', match, times: Infinity }),
		code: /AccessDenied/,
		hint: () => /Run the node again to get a fresh link/,
		requestId: true,
		refused: false,
		waitMs: noWait,
	},
	{
		id: 'link-404',
		label: 'Missing (404) call-log link',
		stages: ['file'],
		fault: (_s, match) => ({ kind: 'callLogNotFound', match, times: Infinity }),
		code: /NoSuchKey/,
		hint: () => /Run the node again|raise "Wait|[Ww]ait/,
		requestId: true,
		refused: false,
		waitMs: (b) => b.columnWaitMs,
	},
	{
		id: 'malformed-json',
		label: 'Malformed JSON (200, signed call)',
		stages: ['signed'],
		fault: (_s, match) => ({ kind: 'malformedJson', match, times: Infinity }),
		code: /InvalidResponse/,
		hint: (d) => (d === 'billed' ? /check the result|[Rr]un the node again/ : /[Rr]un the node again/),
		requestId: true,
		refused: false,
		waitMs: noWait,
	},
	{
		id: 'malformed-file',
		label: 'Cut-off JSON file',
		stages: ['file'],
		fault: (_s, match) => ({ kind: 'callLogMalformed', match, times: Infinity }),
		code: /InvalidJson|not valid JSON/,
		hint: () => /run the node again/i,
		requestId: false,
		refused: false,
		waitMs: noWait,
	},
	{
		id: 'oversized',
		label: 'Oversized log (64 MiB declared)',
		stages: ['file'],
		fault: (_s, match) => ({ kind: 'callLogHuge', match, times: Infinity }),
		code: /FileTooLarge/,
		hint: () => /Raise the node's "Max Download Size \(MB\)" option/,
		requestId: false,
		refused: false,
		waitMs: noWait,
	},
	{
		id: 'gzip-bomb',
		label: 'Gzip bomb (64 KiB → 64 MiB)',
		stages: ['file'],
		fault: (_s, match) => ({ kind: 'gzipBomb', match, times: Infinity }),
		code: /FileTooLarge/,
		hint: () => /Raise the node's "Max Download Size \(MB\)" option/,
		requestId: false,
		refused: false,
		waitMs: noWait,
	},
	{
		id: 'bad-signature',
		label: 'Bad signature (wrong secret)',
		stages: ['credential'],
		credential: 'wrongSecret',
		code: /SignatureDoesNotMatch/,
		hint: () => /Paste the secret into the credential again/,
		requestId: true,
		refused: false,
		waitMs: noWait,
	},
	{
		id: 'expired-sts',
		label: 'Expired STS token',
		stages: ['credential'],
		credential: 'expiredSts',
		code: /InvalidSecurityToken\.Expired/,
		hint: () => /Fetch new temporary credentials/,
		requestId: true,
		refused: false,
		waitMs: noWait,
	},
];
