import {
	RENEW_MARGIN_MS,
	StreamTokenCache,
	TOKEN_LIFETIME_MS,
	type IssuedToken,
} from '../../nodes/AlibabaChatbotChat/transport/tokenCache';

function issuer() {
	let count = 0;
	const issue = jest.fn(async (): Promise<IssuedToken> => {
		count++;
		return { accessToken: `token-${count}`, channelId: `channel-${count}`, streamSecret: `secret-${count}` };
	});
	return issue;
}

describe('stream token cache', () => {
	let now: number;
	let cache: StreamTokenCache;

	beforeEach(() => {
		now = 1_700_000_000_000;
		cache = new StreamTokenCache(() => now);
	});

	it('shares one in-flight request between concurrent callers', async () => {
		const issue = issuer();
		const tokens = await Promise.all([1, 2, 3, 4, 5].map(async () => await cache.get('k', issue)));
		expect(issue).toHaveBeenCalledTimes(1);
		expect(new Set(tokens.map((token) => token.accessToken))).toEqual(new Set(['token-1']));
		expect(tokens[0].expiresAt).toBe(now + TOKEN_LIFETIME_MS);
	});

	it('keeps tokens apart per key', async () => {
		const issue = issuer();
		const a = await cache.get('a', issue);
		const b = await cache.get('b', issue);
		expect(a.accessToken).not.toBe(b.accessToken);
		expect((await cache.get('a', issue)).accessToken).toBe(a.accessToken);
		expect(issue).toHaveBeenCalledTimes(2);
	});

	it('reuses a token until less than 5 minutes are left, then renews it', async () => {
		const issue = issuer();
		const first = await cache.get('k', issue);
		now += TOKEN_LIFETIME_MS - RENEW_MARGIN_MS - 1;
		expect((await cache.get('k', issue)).accessToken).toBe(first.accessToken);
		now += 2;
		const renewed = await cache.get('k', issue);
		expect(renewed.accessToken).toBe('token-2');
		expect(renewed.expiresAt).toBe(now + TOKEN_LIFETIME_MS);
	});

	it('renews once when several callers report the same rejected token', async () => {
		const issue = issuer();
		const stale = await cache.get('k', issue);
		cache.invalidate('k', stale);
		const renewal = cache.get('k', issue);
		// A slower caller reports the same stale token after the renewal started: it must not discard it.
		cache.invalidate('k', stale);
		const again = await Promise.all([renewal, cache.get('k', issue)]);
		expect(again.map((token) => token.accessToken)).toEqual(['token-2', 'token-2']);
		expect(issue).toHaveBeenCalledTimes(2);
	});

	it('does not cache a failed request', async () => {
		let fail = true;
		const issue = jest.fn(async (): Promise<IssuedToken> => {
			if (fail) throw new Error('Throttling.User');
			return { accessToken: 't', channelId: 'c', streamSecret: 's' };
		});
		await expect(cache.get('k', issue)).rejects.toThrow('Throttling.User');
		expect(cache.size).toBe(0);
		fail = false;
		await expect(cache.get('k', issue)).resolves.toMatchObject({ accessToken: 't' });
		expect(issue).toHaveBeenCalledTimes(2);
	});

	it('drops expired entries and stays bounded', async () => {
		const issue = issuer();
		await cache.get('old', issue);
		now += TOKEN_LIFETIME_MS + 1;
		await cache.get('new', issue);
		expect(cache.size).toBe(1);
		for (let i = 0; i < 250; i++) await cache.get(`key-${i}`, issue);
		expect(cache.size).toBeLessThanOrEqual(200);
	});
});
