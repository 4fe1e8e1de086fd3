import { randomUUID } from 'node:crypto';

/** Alibaba request ids are upper-case UUIDs. */
export function newRequestId(): string {
	return randomUUID().toUpperCase();
}

/**
 * `pop` is the shared gateway body `{RequestId, HostId, Code, Message, Recommend}`;
 * `ccai` adds the lower-case fields CCAI's own errors carry, so a client reading either casing works.
 */
export type ErrorStyle = 'pop' | 'ccai';

/** Thrown anywhere in a handler; the server turns it into the error response. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string,
		readonly style: ErrorStyle = 'pop',
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}
}

export function errorBody(error: ApiError, requestId: string, hostId: string): Record<string, unknown> {
	const pop = {
		RequestId: requestId,
		HostId: hostId,
		Code: error.code,
		Message: error.message,
		Recommend: `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(error.code)}`,
	};
	if (error.style === 'pop') return pop;
	return {
		requestId,
		success: false,
		errorCode: error.code,
		errorInfo: error.message,
		...pop,
	};
}

/** The gateway's wording for a required parameter that was not sent. */
export function missingParameter(name: string): ApiError {
	return new ApiError(400, `Missing${name[0].toUpperCase()}${name.slice(1)}`, `${name} is mandatory for this action.`);
}

export function invalidParameter(name: string, detail: string): ApiError {
	return new ApiError(400, 'InvalidParameter', `The specified parameter ${name} is not valid: ${detail}`);
}
