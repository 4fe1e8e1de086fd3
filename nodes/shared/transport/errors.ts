import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';

/** What Alibaba said, in one shape whatever the product's casing (`Code`, `code`, `errorCode`, `errCode`). */
export interface AlibabaErrorInfo {
	code: string;
	message: string;
	requestId?: string;
	httpStatus?: number;
	/** Where the request went, for the error text: product and action, never the URL. */
	operation: string;
}

/** Thrown inside the transport; turned into a NodeApiError once retries are spent. */
export class AlibabaCallError extends Error {
	constructor(readonly info: AlibabaErrorInfo) {
		super(`${info.code}: ${info.message}`);
	}
}

const HINTS: Array<[RegExp, string]> = [
	[
		/^InvalidAccessKeyId/,
		'The AccessKey ID is unknown or disabled. Check the AccessKey ID in the credential and that the key is enabled in the RAM console.',
	],
	[
		/^SignatureDoesNotMatch$/,
		'The AccessKey secret does not belong to this AccessKey ID. Paste the secret into the credential again (no spaces), or check that no proxy rewrites the request.',
	],
	[
		/^InvalidSecurityToken/,
		'The STS security token is wrong or has expired. Fetch new temporary credentials and update the credential, or use a RAM user AccessKey without a token.',
	],
	[
		// CCAI answers these for a mistyped or foreign workspace or app too, so the ids come first.
		/^CCAI\.(TenantPermission|IllegalPermission)\.NoAuth/,
		'Check the Workspace ID and App ID in the node: this workspace or app does not exist, or this AccessKey\'s account cannot see it. Both are shown for your CCAI app in the Model Studio console (https://bailian.console.aliyun.com/, app center: WORKSPACE-ID and APP-ID).',
	],
	[
		/^(Forbidden\.RAM|NoPermission|Forbidden\.NoPermission|Forbidden(?!\.ResourceNotFound))/,
		'The RAM user behind this AccessKey lacks permission for this action. Attach a policy that allows it in the RAM console, or use another AccessKey.',
	],
	[
		/^(Throttling|CCAI\.Throttling)/,
		'Alibaba Cloud throttled the request. It was retried with backoff and still failed: lower the node\'s concurrency or requests per second, or raise the quota.',
	],
	[
		/^(ServiceUnavailable|InternalError|HTTP5\d\d$)/,
		'Alibaba Cloud had a temporary failure. Run the node again in a few minutes; if it keeps failing, check the Alibaba Cloud service status.',
	],
	[
		/^(ECONNRESET|ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EPIPE|EHOSTUNREACH|ENETUNREACH|RequestFailed)$/,
		"The connection to Alibaba Cloud failed. Check that n8n can reach the service (network, proxy, the credential's custom endpoints) and run the node again.",
	],
	[
		/^InvalidTimeStamp/,
		'The request time was rejected. Check that the n8n server clock is correct (Alibaba allows 15 minutes of drift).',
	],
];

export function hintFor(code: string): string | undefined {
	return HINTS.find(([pattern]) => pattern.test(code))?.[1];
}

function pickString(body: Record<string, unknown>, keys: string[]): string | undefined {
	for (const key of keys) {
		const value = body[key];
		if (typeof value === 'string' && value) return value;
		if (typeof value === 'number') return String(value);
	}
	return undefined;
}

/**
 * Reads Alibaba's error body in any of its products' shapes; falls back to the HTTP status, and
 * to the RequestId in the answer's headers when the body carries none.
 */
export function errorInfoFromResponse(
	operation: string,
	httpStatus: number | undefined,
	body: unknown,
	headers?: Record<string, string | string[] | undefined>,
): AlibabaErrorInfo {
	const record =
		body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
	const text = typeof body === 'string' ? body.trim() : '';
	const code =
		pickString(record, ['Code', 'code', 'errorCode', 'errCode', 'ErrorCode']) ??
		(text.startsWith('<') ? (/<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? `HTTP${httpStatus}`) : `HTTP${httpStatus ?? ''}`);
	const message =
		pickString(record, ['Message', 'message', 'errorInfo', 'errorMsg', 'ErrorMessage']) ??
		(text.startsWith('<') ? (/<Message>([^<]+)<\/Message>/.exec(text)?.[1] ?? '') : text.slice(0, 300)) ??
		'';
	return {
		code,
		message: message || `The service answered HTTP ${httpStatus}`,
		requestId:
			pickString(record, ['RequestId', 'requestId']) ??
			(text.startsWith('<') ? /<RequestId>([^<]+)<\/RequestId>/.exec(text)?.[1] : undefined) ??
			(headers ? requestIdFromHeaders(headers) : undefined),
		httpStatus,
		operation,
	};
}

/** The request id Alibaba's gateways (and OSS) put in a header, for answers whose body has none. */
export function requestIdFromHeaders(headers: Record<string, string | string[] | undefined>): string | undefined {
	for (const name of ['x-acs-request-id', 'x-oss-request-id']) {
		const value = headers[name];
		const text = Array.isArray(value) ? value[0] : value;
		if (text) return text;
	}
	return undefined;
}

/**
 * An error as one text for an output field (e.g. `callLogError`): the message and the transport's
 * description (what to do, Alibaba's RequestId), which support needs as much as the message.
 */
export function errorSummary(error: unknown): string {
	if (!(error instanceof Error)) return String(error);
	const { description } = error as Error & { description?: string | null };
	return description ? `${error.message}\n${description}` : error.message;
}

/** Removes every known secret from a text: error bodies sometimes echo what they were sent. */
export function redact(text: string, secrets: Array<string | undefined>): string {
	let result = text;
	for (const secret of secrets) {
		if (secret && secret.length >= 4) result = result.split(secret).join('***');
	}
	return result;
}

/** Drops a URL's query (where OSS and stream signatures live) and keeps what identifies the file. */
export function redactUrl(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.origin}${parsed.pathname}${parsed.search ? '?…' : ''}`;
	} catch {
		return '(invalid URL)';
	}
}

export function toNodeApiError(
	node: INode,
	info: AlibabaErrorInfo,
	secrets: Array<string | undefined>,
	itemIndex?: number,
): NodeApiError {
	const message = redact(`${info.operation} failed: ${info.code}: ${info.message}`, secrets);
	const hint = hintFor(info.code);
	const description = [
		hint,
		info.requestId ? `Alibaba Cloud RequestId: ${info.requestId}` : undefined,
		info.httpStatus ? `HTTP status ${info.httpStatus}` : undefined,
	]
		.filter(Boolean)
		.join('\n');
	const response: JsonObject = {
		Code: info.code,
		Message: redact(info.message, secrets),
		...(info.requestId ? { RequestId: info.requestId } : {}),
	};
	const error = new NodeApiError(node, response, {
		message,
		description: description || undefined,
		httpCode: info.httpStatus ? String(info.httpStatus) : undefined,
		itemIndex,
	});
	// n8n swaps any message that merely contains a Node error code for a generic text
	// ("Forbidden.ResourceNotFound" contains ENOTFOUND); this message is already the specific one.
	error.message = message;
	return error;
}
