import type { TemporarySession } from '../../credentials/common/ramRole/session';
import { SessionCache } from '../../credentials/common/ramRole/sessionCache';

const MINUTE = 60_000;
const NOW = 10_000_000;

function session(accessKeyId: string, refreshAt: number): TemporarySession {
	return {
		accessKeyId,
		accessKeySecret: `secret-of-${accessKeyId}`,
		securityToken: `token-of-${accessKeyId}`,
		expiration: new Date(refreshAt + 15 * MINUTE).toISOString(),
		refreshAt,
		fingerprint: 'fp',
		identity: 'role',
	};
}

const noFetch = () => Promise.reject(new Error('no renewal expected: a usable key exists'));

describe('SessionCache: which usable key is handed out', () => {
	it('takes the key another worker stored when it is newer than the one this process holds', async () => {
		const cache = new SessionCache(() => NOW);
		const older = session('STS.older', NOW + 10 * MINUTE);
		const newer = session('STS.newer', NOW + 40 * MINUTE);
		await cache.obtain('fp', older, noFetch);

		// Queue mode: another worker renewed and n8n stored its key in the credential.
		expect((await cache.obtain('fp', newer, noFetch)).accessKeyId).toBe('STS.newer');
		// …and keeps it once the stored copy is gone from view.
		expect((await cache.obtain('fp', undefined, noFetch)).accessKeyId).toBe('STS.newer');
	});

	it('keeps its own key when the stored one is older', async () => {
		const cache = new SessionCache(() => NOW);
		await cache.obtain('fp', session('STS.mine', NOW + 40 * MINUTE), noFetch);

		expect((await cache.obtain('fp', session('STS.stale', NOW + 5 * MINUTE), noFetch)).accessKeyId).toBe('STS.mine');
	});
});
