import { sleep } from 'n8n-workflow';

import type { AlibabaErrorInfo } from './errors';

export interface RetryPolicy {
	/** Retries after the first attempt. */
	maxRetries: number;
	baseDelayMs: number;
	maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 4, baseDelayMs: 400, maxDelayMs: 8000 };

const TRANSIENT_NETWORK_CODES = new Set([
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNABORTED',
	'EPIPE',
	'EAI_AGAIN',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

export function isTransientNetworkCode(code: string | undefined): boolean {
	return code !== undefined && TRANSIENT_NETWORK_CODES.has(code);
}

/** Throttling, overload and server faults heal on their own; anything else will fail again. */
export function isTransientApiError(info: AlibabaErrorInfo): boolean {
	if (/^(Throttling|CCAI\.Throttling|ServiceUnavailable|InternalError)/.test(info.code)) return true;
	if (isTransientNetworkCode(info.code)) return true;
	const status = info.httpStatus ?? 0;
	return status === 429 || status >= 500;
}

/** Capped exponential backoff with full jitter, so parallel items do not retry in lockstep. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random) {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export async function waitBeforeRetry(attempt: number, policy: RetryPolicy, retryAfterMs?: number) {
	const delay = retryAfterMs !== undefined ? Math.min(retryAfterMs, policy.maxDelayMs) : backoffDelay(attempt, policy);
	await sleep(delay);
}
