import { randomBytes } from 'node:crypto';

import type { KnownKey } from './keys';

/**
 * Temporary keys the emulator's STS and ECS metadata server issued. Module-wide (like the fixed
 * keys in keys.ts) because signature checks look keys up without a state; ids are random, so
 * emulators sharing a process cannot confuse them. reset() leaves them valid, as real STS would.
 */
export interface IssuedKey {
	accessKeyId: string;
	accessKeySecret: string;
	securityToken: string;
	/** Unix ms; from then on the key answers InvalidSecurityToken.Expired. */
	expiresAt: number;
	/** What GetCallerIdentity reports for it. */
	identity: Record<string, string>;
}

const issued = new Map<string, IssuedKey>();
const MAX_KEYS = 5000;

/** Alibaba's Expiration format: UTC, seconds, `Z`. */
export function expirationText(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function issueKey(lifetimeSeconds: number, identity: Record<string, string>, now = Date.now()): IssuedKey & { expiration: string } {
	const expiration = expirationText(now + lifetimeSeconds * 1000);
	const key: IssuedKey = {
		accessKeyId: `STS.NT${randomBytes(10).toString('hex')}`,
		accessKeySecret: randomBytes(22).toString('base64url'),
		securityToken: `CAIS${randomBytes(60).toString('base64url')}`,
		expiresAt: Date.parse(expiration),
		identity,
	};
	issued.set(key.accessKeyId, key);
	if (issued.size > MAX_KEYS) issued.delete(issued.keys().next().value as string);
	return { ...key, expiration };
}

export function findIssuedKey(accessKeyId: string): KnownKey | undefined {
	const key = issued.get(accessKeyId);
	if (!key) return undefined;
	return {
		kind: 'sts',
		accessKeyId: key.accessKeyId,
		accessKeySecret: key.accessKeySecret,
		securityToken: key.securityToken,
		expiresAt: key.expiresAt,
		identity: key.identity,
	};
}

/** Makes every key issued so far expire now, as if time had passed (or STS revoked them). */
export function expireIssuedKeys(now = Date.now()): void {
	for (const key of issued.values()) key.expiresAt = Math.min(key.expiresAt, now);
}
