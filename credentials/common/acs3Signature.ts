import { createHash, createHmac, randomUUID } from 'node:crypto';

export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';
export const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** The percent-encoding Alibaba canonicalizes with: RFC 3986, so `!'()*` are escaped too. */
export function percentEncode(value: string): string {
	return encodeURIComponent(value).replace(
		/[!'()*]/g,
		(c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
	);
}

/** Encodes each path segment but keeps the slashes, for ROA paths built from user input. */
export function encodePath(segments: string[]): string {
	return '/' + segments.map(percentEncode).join('/');
}

export type QueryValue = string | number | boolean | null | undefined;

/** Sorted `k=v&…`; the same string is both signed and sent, so the server's view cannot differ. */
export function canonicalQueryString(query: Record<string, QueryValue>): string {
	return Object.keys(query)
		.filter((key) => query[key] !== undefined)
		.sort()
		.map((key) => {
			const value = query[key];
			return `${percentEncode(key)}=${value === null ? '' : percentEncode(String(value))}`;
		})
		.join('&');
}

export function sha256Hex(data: string | Buffer): string {
	return createHash('sha256').update(data).digest('hex');
}

export interface SignableRequest {
	method: string;
	/** As sent on the wire: already percent-encoded. */
	pathname: string;
	query: Record<string, QueryValue>;
	/** The query already in canonical form, when the caller built it to send anyway. */
	canonicalQuery?: string;
	headers: Record<string, string | undefined>;
	/** Hex SHA-256 of the exact body bytes. */
	payloadHash: string;
}

export interface Acs3Signature {
	authorization: string;
	signedHeaders: string;
	canonicalRequest: string;
	stringToSign: string;
}

/**
 * Header names that differ only in case are one header to HTTP, so their values are
 * merged (sorted, comma-joined) the way the official SDK does.
 */
function canonicalHeaders(headers: Record<string, string | undefined>) {
	const grouped = new Map<string, string[]>();
	for (const [name, value] of Object.entries(headers)) {
		const lower = name.toLowerCase();
		if (!(lower.startsWith('x-acs-') || lower === 'host' || lower === 'content-type')) continue;
		const values = grouped.get(lower) ?? [];
		values.push((value ?? '').trim());
		grouped.set(lower, values);
	}
	const names = [...grouped.keys()].sort();
	const lines = names.map((name) => `${name}:${grouped.get(name)!.sort().join(',')}\n`).join('');
	return { lines, signedHeaders: names.join(';') };
}

export function signAcs3(
	request: SignableRequest,
	accessKeyId: string,
	accessKeySecret: string,
): Acs3Signature {
	const { lines, signedHeaders } = canonicalHeaders(request.headers);
	const canonicalRequest = [
		request.method.toUpperCase(),
		request.pathname || '/',
		request.canonicalQuery ?? canonicalQueryString(request.query),
		lines,
		signedHeaders,
		request.payloadHash,
	].join('\n');
	const stringToSign = `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`;
	const signature = createHmac('sha256', accessKeySecret).update(stringToSign).digest('hex');
	return {
		authorization: `${ACS3_ALGORITHM} Credential=${accessKeyId},SignedHeaders=${signedHeaders},Signature=${signature}`,
		signedHeaders,
		canonicalRequest,
		stringToSign,
	};
}

/** `YYYY-MM-DDTHH:mm:ssZ`: Alibaba rejects milliseconds in x-acs-date. */
export function acsDate(now: Date = new Date()): string {
	return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** 122 random bits; randomUUID draws from a cached entropy pool, so it is cheap per request. */
export function signatureNonce(): string {
	return randomUUID().replace(/-/g, '');
}
