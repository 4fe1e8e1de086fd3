import { createHash, createHmac } from 'node:crypto';

import OpenApiUtil from '@alicloud/openapi-util';

import { ApiError } from './errors';
import type { Exchange } from './exchange';
import { findKey, type KnownKey } from './keys';
import type { NonceStore } from './nonces';

export const ACS3_ALGORITHM = 'ACS3-HMAC-SHA256';
export const SIGNATURE_WINDOW_MS = 15 * 60 * 1000;

/** encodeURIComponent plus `!'()*`, the encoding Alibaba canonicalizes query values with. */
export function acsPercentEncode(value: string): string {
	return encodeURIComponent(value).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export function sha256Hex(data: string | Buffer): string {
	return createHash('sha256').update(data).digest('hex');
}

export interface ParsedAuthorization {
	algorithm: string;
	accessKeyId: string;
	signedHeaders: string[];
	signature: string;
}

export function parseAuthorization(value: string): ParsedAuthorization | undefined {
	const match = /^(\S+)\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]*)\s*,\s*Signature=([0-9A-Za-z]+)\s*$/.exec(
		value.trim(),
	);
	if (!match) return undefined;
	const signedHeaders = [...new Set(match[3].split(';').map((h) => h.trim().toLowerCase()))].filter(Boolean);
	return { algorithm: match[1], accessKeyId: match[2], signedHeaders, signature: match[4] };
}

export interface CanonicalInput {
	method: string;
	/** The path exactly as it arrived (percent-encoded). */
	rawPath: string;
	/** Decoded query values; they are re-encoded here. */
	query: Record<string, string>;
	/** Header name (lower-case) → every value received for it. */
	headers: Record<string, string[]>;
	signedHeaders: string[];
	payloadHash: string;
}

/** The official SDK rewrites only the first `+`, `*` and `%7E`; mirrored so both computations agree. */
function canonicalUri(rawPath: string): string {
	return (rawPath || '/').replace('+', '%20').replace('*', '%2A').replace('%7E', '~');
}

function canonicalQuery(query: Record<string, string>): string {
	return Object.keys(query)
		.sort()
		.map((key) => `${key}=${acsPercentEncode(query[key])}`)
		.join('&');
}

function canonicalHeaderValue(values: string[]): string {
	return values
		.map((v) => v.trim())
		.sort()
		.join(',');
}

export interface CanonicalResult {
	canonicalRequest: string;
	stringToSign: string;
	signedHeaders: string[];
}

export function buildCanonicalRequest(input: CanonicalInput): CanonicalResult {
	const signedHeaders = [...input.signedHeaders].sort();
	const headerLines = signedHeaders.map((name) => `${name}:${canonicalHeaderValue(input.headers[name] ?? [])}\n`).join('');
	const canonicalRequest = [
		input.method.toUpperCase(),
		canonicalUri(input.rawPath),
		canonicalQuery(input.query),
		headerLines,
		signedHeaders.join(';'),
		input.payloadHash,
	].join('\n');
	return { canonicalRequest, stringToSign: `${ACS3_ALGORITHM}\n${sha256Hex(canonicalRequest)}`, signedHeaders };
}

export function hmacSignature(secret: string, stringToSign: string): string {
	return createHmac('sha256', secret).update(stringToSign).digest('hex');
}

/** The SDK only ever signs these, so only for these can it stand in for the server. */
function sdkSignable(name: string): boolean {
	return name.startsWith('x-acs-') || name === 'host' || name === 'content-type';
}

type SdkRequest = Parameters<typeof OpenApiUtil.getAuthorization>[0];

/** The signature the official SDK (`@alicloud/openapi-util`) computes for the same canonical input. */
export function sdkSignature(input: CanonicalInput, accessKeyId: string, secret: string): string | undefined {
	const usable = input.signedHeaders.every((name) => sdkSignable(name) && (input.headers[name]?.length ?? 0) <= 1);
	if (!usable) return undefined;
	const headers: Record<string, string> = {};
	for (const name of input.signedHeaders) headers[name] = input.headers[name]?.[0] ?? '';
	const request = { pathname: input.rawPath, method: input.method.toUpperCase(), query: input.query, headers };
	const authorization = OpenApiUtil.getAuthorization(
		request as unknown as SdkRequest,
		ACS3_ALGORITHM,
		input.payloadHash,
		accessKeyId,
		secret,
	);
	return /Signature=([0-9a-f]+)$/.exec(authorization)?.[1];
}

export interface ExpectedSignature extends CanonicalResult {
	signature: string;
}

/**
 * Uses the official SDK where it can express the request (the normal case) and the
 * equivalent HMAC otherwise, e.g. when a client also signed `accept` or a repeated header.
 */
export function expectedSignature(input: CanonicalInput, accessKeyId: string, secret: string): ExpectedSignature {
	const canonical = buildCanonicalRequest(input);
	const signature = sdkSignature(input, accessKeyId, secret) ?? hmacSignature(secret, canonical.stringToSign);
	return { ...canonical, signature };
}

const ACS_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

export function checkSecurityToken(key: KnownKey, token: string | undefined, now: number = Date.now()): void {
	if (key.kind === 'ram') {
		if (token) {
			throw new ApiError(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.');
		}
		return;
	}
	if (!token) throw new ApiError(400, 'MissingSecurityToken', 'SecurityToken is mandatory for this action.');
	if (token !== key.securityToken) {
		throw new ApiError(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.');
	}
	if (key.kind === 'expiredSts' || (key.expiresAt !== undefined && now >= key.expiresAt)) {
		throw new ApiError(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.');
	}
}

function checkDate(value: string | undefined, now: number): void {
	const parsed = value && ACS_DATE.test(value) ? Date.parse(value) : NaN;
	if (Number.isNaN(parsed)) {
		throw new ApiError(
			400,
			'InvalidTimeStamp.Format',
			'Specified time stamp or date value is not well formatted. x-acs-date must be yyyy-MM-ddTHH:mm:ssZ (UTC).',
		);
	}
	if (Math.abs(now - parsed) > SIGNATURE_WINDOW_MS) {
		throw new ApiError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
	}
}

function checkSignedHeaderSet(ex: Exchange, signed: string[]): void {
	const present = Object.keys(ex.headers).filter((name) => name.startsWith('x-acs-') || name === 'host');
	const unsigned = present.filter((name) => !signed.includes(name));
	if (unsigned.length > 0) {
		throw new ApiError(
			400,
			'IncompleteSignature',
			`The request signature does not conform to Aliyun standards. These headers must be in SignedHeaders: ${unsigned.join(', ')}.`,
		);
	}
}

/**
 * Checks a V3-signed request the way the gateway does and returns the caller's key.
 * The nonce is only remembered once the signature is valid, so a forged request cannot burn it.
 */
export function verifySignedRequest(ex: Exchange, nonces: NonceStore, now: number = Date.now()): KnownKey {
	const header = ex.header('authorization');
	if (!header) throw new ApiError(400, 'MissingAuthorization', 'The Authorization header is required for this action.');
	const auth = parseAuthorization(header);
	if (!auth) throw new ApiError(400, 'InvalidAuthorization', 'The Authorization header you provided is invalid.');
	if (auth.algorithm !== ACS3_ALGORITHM) {
		throw new ApiError(
			400,
			'InvalidAuthorization',
			`Signature algorithm ${auth.algorithm} is not supported here; use ${ACS3_ALGORITHM}.`,
		);
	}
	const key = findKey(auth.accessKeyId);
	if (!key) throw new ApiError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
	checkSecurityToken(key, ex.header('x-acs-security-token'), now);
	checkDate(ex.header('x-acs-date'), now);
	const nonce = ex.header('x-acs-signature-nonce');
	if (!nonce) throw new ApiError(400, 'MissingSignatureNonce', 'SignatureNonce is mandatory for this action.');
	const payloadHash = ex.header('x-acs-content-sha256');
	if (!payloadHash) {
		throw new ApiError(
			400,
			'IncompleteSignature',
			'The request signature does not conform to Aliyun standards. The x-acs-content-sha256 header is required.',
		);
	}
	if (payloadHash !== sha256Hex(ex.body)) {
		throw new ApiError(
			400,
			'ContentSHA256NotMatch',
			'The x-acs-content-sha256 header does not match the SHA-256 of the request body.',
		);
	}
	checkSignedHeaderSet(ex, auth.signedHeaders);

	const headers: Record<string, string[]> = {};
	for (const name of auth.signedHeaders) headers[name] = ex.headerValues(name);
	const expected = expectedSignature(
		{ method: ex.method, rawPath: ex.rawPath, query: ex.query, headers, signedHeaders: auth.signedHeaders, payloadHash },
		key.accessKeyId,
		key.accessKeySecret,
	);
	if (expected.signature !== auth.signature) {
		throw new ApiError(
			400,
			'SignatureDoesNotMatch',
			`The request signature does not conform to Aliyun standards. server string to sign is:${expected.stringToSign}`,
			'pop',
			// Not something Alibaba sends; it saves a lot of guessing when a client signs differently.
			{ 'x-emulator-canonical-request': encodeURIComponent(expected.canonicalRequest) },
		);
	}
	if (!nonces.use(nonce, now)) {
		throw new ApiError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
	}
	return key;
}
