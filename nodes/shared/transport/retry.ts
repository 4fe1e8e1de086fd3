import { sleep, sleepWithAbort } from 'n8n-workflow';

import type { AlibabaErrorInfo } from './errors';

export interface RetryPolicy {
	/** Retries after the first attempt. */
	maxRetries: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/**
	 * The longest wait a server's Retry-After may ask for. A longer one fails at once with the
	 * server's own words: waiting minutes inside one execution looks like a hang.
	 */
	maxRetryAfterMs?: number;
}

export const DEFAULT_MAX_RETRY_AFTER_MS = 30_000;

/** Documented in the README ("Retries"): 4 retries, 0.4 s to 8 s backoff, Retry-After up to 30 s. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
	maxRetries: 4,
	baseDelayMs: 400,
	maxDelayMs: 8000,
	maxRetryAfterMs: DEFAULT_MAX_RETRY_AFTER_MS,
};

/**
 * What the server may already have done decides what may be sent again.
 * - `idempotent`: reads and token requests; a repeat costs nothing, so every transient failure is retried.
 * - `atMostOnce`: billed or stateful calls (CCAI AnalyzeConversation, the chatbot stream POST);
 *   sent again only when the request provably never reached the service.
 */
export type Delivery = 'idempotent' | 'atMostOnce';

const TRANSIENT_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ECONNREFUSED',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'EAI_AGAIN',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

/**
 * Failures that happen before a single byte of the request can have been read: no TCP
 * connection (refused, unreachable) or no address for the host (DNS).
 */
const NEVER_SENT_NETWORK_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ECONNABORTED', 'ERR_SOCKET_CONNECTION_TIMEOUT']);

const THROTTLING = /^(Throttling|CCAI\.Throttling)/;

export function isTransientNetworkCode(code: string | undefined): boolean {
	return code !== undefined && TRANSIENT_NETWORK_CODES.has(code);
}

export function isTimeoutCode(code: string | undefined): boolean {
	return code !== undefined && TIMEOUT_CODES.has(code);
}

/** Throttling, overload and server faults heal on their own; anything else will fail again. */
export function isTransientApiError(info: AlibabaErrorInfo): boolean {
	if (THROTTLING.test(info.code) || /^(ServiceUnavailable|InternalError)/.test(info.code)) return true;
	if (isTransientNetworkCode(info.code)) return true;
	const status = info.httpStatus ?? 0;
	return status === 429 || status >= 500;
}

/**
 * True only when the service cannot have acted on the request: it was never connected, or it
 * answered that it refused it (throttling and 429, which Alibaba does not bill). A timeout, a
 * reset or a 5xx after sending proves nothing either way.
 */
export function provablyNotProcessed(info: AlibabaErrorInfo): boolean {
	if (NEVER_SENT_NETWORK_CODES.has(info.code)) return true;
	return THROTTLING.test(info.code) || info.httpStatus === 429;
}

export function mayRetry(info: AlibabaErrorInfo, delivery: Delivery): boolean {
	if (!isTransientApiError(info)) return false;
	return delivery === 'idempotent' || provablyNotProcessed(info);
}

/**
 * Retry-After as delta-seconds or an HTTP date (RFC 9110 10.2.3), in ms from `now`. A date in
 * the past means "now"; anything else that is not one of the two forms is ignored.
 */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
	const text = value?.trim();
	if (!text) return undefined;
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	if (!/[a-z]/i.test(text)) return undefined;
	const at = Date.parse(text);
	return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** Capped exponential backoff with full jitter, so parallel items do not retry in lockstep. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random) {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The wait before the next attempt: the server's Retry-After when it gave one, else backoff. */
export function retryDelay(attempt: number, policy: RetryPolicy, retryAfterMs?: number): number {
	return retryAfterMs !== undefined ? retryAfterMs : backoffDelay(attempt, policy);
}

/** Waits; an execution cancelled meanwhile ends the wait at once (the caller then stops). */
export async function waitBeforeRetry(delayMs: number, signal?: AbortSignal): Promise<void> {
	if (delayMs <= 0) return;
	if (!signal) {
		await sleep(delayMs);
		return;
	}
	await sleepWithAbort(delayMs, signal).catch(() => undefined);
}
