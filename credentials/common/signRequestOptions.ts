import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import {
	acsDate,
	canonicalQueryString,
	type QueryValue,
	sha256Hex,
	signAcs3,
	signatureNonce,
} from './acs3Signature';

/** Headers this function owns: a retry re-signs, so stale copies must not survive. */
const OWNED_HEADERS = new Set([
	'authorization',
	'host',
	'x-acs-date',
	'x-acs-signature-nonce',
	'x-acs-content-sha256',
	'x-acs-security-token',
	'x-acs-accesskey-id',
]);

/** n8n's HTTP Request node still hands over request-library options (`uri`, `form`). */
type AnyRequestOptions = IHttpRequestOptions & {
	uri?: string | URL;
	form?: IDataObject;
	formData?: unknown;
};

function queryValue(value: unknown): QueryValue {
	if (value === undefined || value === null) return value as QueryValue;
	if (typeof value === 'object') return JSON.stringify(value);
	return value as QueryValue;
}

function resolveUrl(options: AnyRequestOptions): URL {
	if (options.uri !== undefined) return new URL(options.uri.toString());
	const path = options.url ?? '';
	if (/^https?:\/\//i.test(path) || !options.baseURL) return new URL(path);
	return new URL(options.baseURL.replace(/\/+$/, '') + '/' + path.replace(/^\/+/, ''));
}

function findHeader(headers: IDataObject, name: string): string | undefined {
	const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
	return key === undefined ? undefined : String(headers[key]);
}

/**
 * axios trims a string body that parses as JSON when the content-type says JSON, so the bytes on
 * the wire would no longer match the signed hash; the trimmed text is signed and sent instead.
 */
function asSentByAxios(text: string, headers: IDataObject): string {
	if (!(findHeader(headers, 'content-type') ?? '').toLowerCase().includes('application/json')) return text;
	try {
		JSON.parse(text);
	} catch {
		return text;
	}
	return text.trim();
}

function serializeBody(options: AnyRequestOptions, headers: IDataObject): string {
	if (options.formData !== undefined) {
		throw new Error(
			'Alibaba Cloud signatures cover the exact body bytes, so multipart form data cannot be signed. Send a JSON or URL-encoded body instead.',
		);
	}
	const { body, form } = options;
	if (form !== undefined && (body === undefined || body === '')) {
		if (!findHeader(headers, 'content-type')) headers['content-type'] = 'application/x-www-form-urlencoded';
		return new URLSearchParams(form as Record<string, string>).toString();
	}
	if (body === undefined || body === null || body === '') return '';
	if (typeof body === 'string') return asSentByAxios(body, headers);
	if (Buffer.isBuffer(body)) return asSentByAxios(body.toString('utf8'), headers);
	if (body instanceof URLSearchParams) {
		if (!findHeader(headers, 'content-type')) headers['content-type'] = 'application/x-www-form-urlencoded';
		return body.toString();
	}
	if (typeof body === 'object' && Object.keys(body).length === 0) return '';
	if (!findHeader(headers, 'content-type')) headers['content-type'] = 'application/json; charset=utf-8';
	return JSON.stringify(body);
}

/**
 * Signs a request with ACS3-HMAC-SHA256 (Alibaba's V3 signature) for RPC and ROA alike.
 * The query string and body are serialized here and sent exactly as signed, so no later
 * re-encoding by the HTTP client can make the server's canonical form differ from ours.
 */
export function signRequestOptions(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
	now: Date = new Date(),
): IHttpRequestOptions {
	const options = requestOptions as AnyRequestOptions;
	const accessKeyId = String(credentials.accessKeyId ?? '').trim();
	const accessKeySecret = String(credentials.accessKeySecret ?? '').trim();
	const securityToken = String(credentials.securityToken ?? '').trim();

	const url = resolveUrl(options);
	const query: Record<string, QueryValue> = {};
	if (url.search) url.searchParams.forEach((value, key) => (query[key] = value));
	for (const [key, value] of Object.entries(options.qs ?? {})) query[key] = queryValue(value);

	const headers: IDataObject = {};
	for (const [key, value] of Object.entries(options.headers ?? {})) {
		if (!OWNED_HEADERS.has(key.toLowerCase()) && value !== undefined) headers[key] = value;
	}
	const bodyText = serializeBody(options, headers);

	headers.host = url.host;
	headers['x-acs-date'] = acsDate(now);
	headers['x-acs-signature-nonce'] = signatureNonce();
	headers['x-acs-content-sha256'] = sha256Hex(bodyText);
	if (securityToken) headers['x-acs-security-token'] = securityToken;

	const queryString = canonicalQueryString(query);
	const signed = signAcs3(
		{
			method: options.method ?? 'GET',
			pathname: url.pathname,
			query,
			canonicalQuery: queryString,
			headers: headers as Record<string, string>,
			payloadHash: headers['x-acs-content-sha256'] as string,
		},
		accessKeyId,
		accessKeySecret,
	);
	headers.authorization = signed.authorization;

	const finalUrl = `${url.origin}${url.pathname}${queryString ? `?${queryString}` : ''}`;
	const result: AnyRequestOptions = { ...options, headers, body: bodyText || undefined };
	delete result.qs;
	delete result.form;
	delete result.baseURL;
	if (options.uri !== undefined) {
		result.uri = finalUrl;
		delete (result as Partial<AnyRequestOptions>).url;
	} else {
		result.url = finalUrl;
	}
	return result;
}
