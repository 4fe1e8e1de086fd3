import OpenApiUtil from '@alicloud/openapi-util';

import { ApiError } from './errors';
import type { Exchange } from './exchange';
import { parseQuery } from './exchange';
import { findKey, type KnownKey } from './keys';
import type { NonceStore } from './nonces';
import { checkSecurityToken, SIGNATURE_WINDOW_MS } from './signature';

/** V2 RPC requests: Action and Signature in the query, with HMAC-SHA1 (what @alicloud/credentials still sends). */
export function isV2Rpc(ex: Exchange): boolean {
	return ex.rawPath === '/' && !ex.header('x-acs-action') && ex.query.Action !== undefined && ex.query.Signature !== undefined;
}

/** Query and form body merged, the set V2 signs. */
export function v2Params(ex: Exchange): Record<string, string> {
	const contentType = ex.header('content-type') ?? '';
	const form = contentType.includes('application/x-www-form-urlencoded') ? parseQuery(ex.body.toString('utf8')) : {};
	return { ...ex.query, ...form };
}

/**
 * Checks an HMAC-SHA1 RPC signature with the official SDK's own `getRPCSignature`, plus the
 * gateway's checks around it (key, token, timestamp, nonce). Returns the caller's key.
 */
export function verifyV2Request(ex: Exchange, nonces: NonceStore, now: number = Date.now()): KnownKey {
	const params = v2Params(ex);
	if (params.SignatureMethod !== 'HMAC-SHA1' || params.SignatureVersion !== '1.0') {
		throw new ApiError(400, 'InvalidParameter', 'SignatureMethod must be HMAC-SHA1 and SignatureVersion 1.0.');
	}
	const key = findKey(params.AccessKeyId ?? '');
	if (!key) throw new ApiError(404, 'InvalidAccessKeyId.NotFound', 'Specified access key is not found.');
	checkSecurityToken(key, params.SecurityToken, now);
	const timestamp = Date.parse(params.Timestamp ?? '');
	if (Number.isNaN(timestamp)) throw new ApiError(400, 'InvalidTimeStamp.Format', 'Specified time stamp or date value is not well formatted.');
	if (Math.abs(now - timestamp) > SIGNATURE_WINDOW_MS) throw new ApiError(400, 'InvalidTimeStamp.Expired', 'Specified time stamp or date value is expired.');
	if (!params.SignatureNonce) throw new ApiError(400, 'MissingSignatureNonce', 'SignatureNonce is mandatory for this action.');
	const { Signature: signature, ...signed } = params;
	const expected = OpenApiUtil.getRPCSignature(signed, ex.method, key.accessKeySecret);
	if (expected !== signature) {
		throw new ApiError(400, 'SignatureDoesNotMatch', 'Specified signature is not matched with our calculation.');
	}
	if (!nonces.use(params.SignatureNonce, now)) throw new ApiError(400, 'SignatureNonceUsed', 'Specified signature nonce was used already.');
	return key;
}
