import { findIssuedKey } from './sts-sessions';

export interface StsKeyPair {
	accessKeyId: string;
	accessKeySecret: string;
	securityToken: string;
}

/** Fixed credentials the emulator accepts. None of them is a real Alibaba key. */
export const EMULATOR_KEYS = {
	accessKeyId: 'LTAI5tEmulatorTestKey01',
	accessKeySecret: 'EmulatorTestSecret0123456789abcd',
	sts: {
		accessKeyId: 'STS.NUgYrLnoC37mZZCNnAbez',
		accessKeySecret: 'EmulatorStsSecret0123456789abcdefgh',
		securityToken: 'CAIS8QF1q6Ft5B2yfSjIr5bEEmulatorStsToken0001GoodUntil2099',
	},
	/** A pair whose token the emulator treats as expired (InvalidSecurityToken.Expired). */
	expiredSts: {
		accessKeyId: 'STS.NSExpiredEmulatorKey9xQ',
		accessKeySecret: 'EmulatorExpiredStsSecret0123456789',
		securityToken: 'CAIS8QF1q6Ft5B2yfSjIr5bEEmulatorStsToken0002ExpiredLongAgo',
	},
} as const satisfies {
	accessKeyId: string;
	accessKeySecret: string;
	sts: StsKeyPair;
	expiredSts: StsKeyPair;
};

export type KeyKind = 'ram' | 'sts' | 'expiredSts';

export interface KnownKey {
	kind: KeyKind;
	accessKeyId: string;
	accessKeySecret: string;
	securityToken?: string;
	/** Keys issued by the emulator's STS / ECS metadata server (sts-sessions.ts) expire; fixed keys do not. */
	expiresAt?: number;
	/** GetCallerIdentity's answer for an issued key. */
	identity?: Record<string, string>;
}

export function findKey(accessKeyId: string): KnownKey | undefined {
	if (accessKeyId === EMULATOR_KEYS.accessKeyId) {
		return { kind: 'ram', accessKeyId, accessKeySecret: EMULATOR_KEYS.accessKeySecret };
	}
	if (accessKeyId === EMULATOR_KEYS.sts.accessKeyId) return { kind: 'sts', ...EMULATOR_KEYS.sts };
	if (accessKeyId === EMULATOR_KEYS.expiredSts.accessKeyId) return { kind: 'expiredSts', ...EMULATOR_KEYS.expiredSts };
	return findIssuedKey(accessKeyId);
}
