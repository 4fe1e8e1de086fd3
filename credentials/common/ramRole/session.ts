/** A temporary key as stored (encrypted) in the credential's hidden `temporaryCredentials` field. */
export interface TemporarySession {
	accessKeyId: string;
	accessKeySecret: string;
	securityToken: string;
	/** As STS or the metadata server wrote it (UTC, ISO 8601). */
	expiration: string;
	/** Unix ms after which the key is renewed before use; see refreshAtFor. */
	refreshAt: number;
	/** settingsFingerprint() of the settings that produced the key. */
	fingerprint: string;
	/** Who the key acts as (AssumedRoleUser ARN, or the ECS role), for caches keyed by identity. */
	identity: string;
}

/** The issue's (and @alicloud/credentials') rule: renew once 15 minutes or less remain. */
export const REFRESH_WINDOW_MS = 15 * 60 * 1000;

/**
 * 15 minutes before expiry, but never earlier than half the lifetime: a 900 s key (the shortest
 * STS issues) would otherwise be due the moment it arrives, and every request would renew it.
 */
export function refreshAtFor(expiresAt: number, receivedAt: number): number {
	const lifetime = expiresAt - receivedAt;
	return expiresAt - Math.min(REFRESH_WINDOW_MS, Math.max(0, lifetime) / 2);
}

export function isDue(session: TemporarySession, now: number): boolean {
	return now >= session.refreshAt;
}

function isSession(value: unknown): value is TemporarySession {
	const s = value as Partial<TemporarySession>;
	return (
		!!s &&
		typeof s.accessKeyId === 'string' &&
		typeof s.accessKeySecret === 'string' &&
		typeof s.securityToken === 'string' &&
		typeof s.expiration === 'string' &&
		typeof s.refreshAt === 'number' &&
		typeof s.fingerprint === 'string'
	);
}

/** The stored session, or undefined when there is none or it was made for other settings. */
export function parseSession(stored: unknown, fingerprint?: string): TemporarySession | undefined {
	if (typeof stored !== 'string' || !stored) return undefined;
	let value: unknown;
	try {
		value = JSON.parse(stored);
	} catch {
		return undefined;
	}
	if (!isSession(value)) return undefined;
	if (fingerprint !== undefined && value.fingerprint !== fingerprint) return undefined;
	return { ...value, identity: typeof value.identity === 'string' ? value.identity : '' };
}

export function serializeSession(session: TemporarySession): string {
	return JSON.stringify(session);
}
