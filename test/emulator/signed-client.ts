import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { stringify } from 'node:querystring';

import OpenApiUtil from '@alicloud/openapi-util';

import { EMULATOR_KEYS } from './keys';

/**
 * A reference client that signs exactly as the official SDK's `doRequest` does (V3,
 * headers per the reference §5.2) using `@alicloud/openapi-util`, for tests that need
 * a known-good request to compare a node's behaviour against.
 */

export interface Credentials {
	accessKeyId: string;
	accessKeySecret: string;
	securityToken?: string;
}

export interface SignedCall {
	baseUrl: string;
	action: string;
	version: string;
	method?: 'GET' | 'POST';
	/** Already percent-encoded, as it goes on the wire. Default '/'. */
	pathname?: string;
	query?: Record<string, string>;
	/** Objects are sent as JSON. */
	body?: string | Record<string, unknown>;
	credentials?: Credentials;
	nonce?: string;
	date?: Date;
	/** Sent after the standard headers; signed when the SDK signs them (x-acs-*, host, content-type). */
	extraHeaders?: Record<string, string>;
}

export interface PreparedRequest {
	url: string;
	method: string;
	headers: Record<string, string>;
	body: string;
}

type SdkRequest = Parameters<typeof OpenApiUtil.getAuthorization>[0];

export function acsDate(date: Date = new Date()): string {
	return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function prepareSignedRequest(call: SignedCall): PreparedRequest {
	const credentials: Credentials = call.credentials ?? EMULATOR_KEYS;
	const method = call.method ?? 'POST';
	const pathname = call.pathname ?? '/';
	const query = call.query ?? {};
	const body = call.body === undefined ? '' : typeof call.body === 'string' ? call.body : JSON.stringify(call.body);
	const host = new URL(call.baseUrl).host;
	const headers: Record<string, string> = {
		host,
		'x-acs-version': call.version,
		'x-acs-action': call.action,
		'user-agent': 'AlibabaCloud (emulator-tests) TeaDSL/2',
		'x-acs-date': acsDate(call.date),
		'x-acs-signature-nonce': call.nonce ?? randomBytes(16).toString('hex'),
		accept: 'application/json',
	};
	if (body) headers['content-type'] = 'application/json; charset=utf-8';
	headers['x-acs-content-sha256'] = createHash('sha256').update(body, 'utf8').digest('hex');
	if (credentials.securityToken) {
		headers['x-acs-accesskey-id'] = credentials.accessKeyId;
		headers['x-acs-security-token'] = credentials.securityToken;
	}
	Object.assign(headers, call.extraHeaders);
	headers.authorization = OpenApiUtil.getAuthorization(
		{ pathname, method, query, headers } as unknown as SdkRequest,
		'ACS3-HMAC-SHA256',
		headers['x-acs-content-sha256'],
		credentials.accessKeyId,
		credentials.accessKeySecret,
	);
	// Like the SDK: node's querystring leaves *~!'() unencoded, the server must still canonicalize.
	const qs = stringify(query);
	return { url: `${call.baseUrl}${pathname}${qs ? `?${qs}` : ''}`, method, headers, body };
}

export interface RawResponse {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer;
	text: string;
	/** Parsed body, or undefined if it is not JSON. */
	json: any;
}

/** node:http rather than fetch: fetch will not let a caller set Host or keep header bytes exact. */
export function send(prepared: PreparedRequest): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const req = httpRequest(prepared.url, { method: prepared.method, headers: prepared.headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('error', reject);
			res.on('end', () => {
				const body = Buffer.concat(chunks);
				const text = body.toString('utf8');
				let json: unknown;
				try {
					json = JSON.parse(text);
				} catch {
					json = undefined;
				}
				resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json });
			});
		});
		req.on('error', reject);
		req.end(prepared.body || undefined);
	});
}

export function callSigned(call: SignedCall): Promise<RawResponse> {
	return send(prepareSignedRequest(call));
}
