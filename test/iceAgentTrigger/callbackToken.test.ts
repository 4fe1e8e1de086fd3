import {
	authorizationMatches,
	tokenFormatProblem,
	tokensMatch,
} from '../../nodes/AlibabaIceAgentTrigger/callbackToken';

// The same module object the node's compiled `require('node:crypto')` reads from.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const crypto = require('node:crypto') as typeof import('node:crypto');

describe('callback token comparison', () => {
	afterEach(() => jest.restoreAllMocks());

	it('matches equal tokens and rejects unequal ones of the same length', () => {
		expect(tokensMatch('s3cret-token', 's3cret-token')).toBe(true);
		expect(tokensMatch('s3cret-tokem', 's3cret-token')).toBe(false);
	});

	it('rejects tokens of a different length without throwing', () => {
		expect(tokensMatch('s3cret', 's3cret-token')).toBe(false);
		expect(tokensMatch('s3cret-token-and-more', 's3cret-token')).toBe(false);
		expect(tokensMatch('', 's3cret-token')).toBe(false);
	});

	it('compares in constant time: timingSafeEqual over two equal-length digests, whatever the input lengths', () => {
		const spy = jest.spyOn(crypto, 'timingSafeEqual');
		tokensMatch('a', 'a much longer expected token');
		tokensMatch('same', 'same');
		expect(spy).toHaveBeenCalledTimes(2);
		for (const [left, right] of spy.mock.calls) {
			const a = left as Buffer;
			const b = right as Buffer;
			expect(a.length).toBe(32);
			expect(b.length).toBe(32);
		}
	});

	it('runs both the raw and the Bearer comparison for every header, so timing does not tell them apart', () => {
		const spy = jest.spyOn(crypto, 'timingSafeEqual');
		authorizationMatches('tok', 'tok');
		expect(spy).toHaveBeenCalledTimes(2);
		authorizationMatches('Bearer nope', 'tok');
		expect(spy).toHaveBeenCalledTimes(4);
	});

	it('accepts the header raw or as Bearer, in any case of the scheme and with spaces around', () => {
		expect(authorizationMatches('tok-123', 'tok-123')).toBe(true);
		expect(authorizationMatches('Bearer tok-123', 'tok-123')).toBe(true);
		expect(authorizationMatches('bearer   tok-123 ', 'tok-123')).toBe(true);
		expect(authorizationMatches(['Bearer tok-123'], 'tok-123')).toBe(true);
	});

	it('rejects a missing, empty, wrong or differently-schemed header', () => {
		expect(authorizationMatches(undefined, 'tok-123')).toBe(false);
		expect(authorizationMatches('', 'tok-123')).toBe(false);
		expect(authorizationMatches('Bearer', 'tok-123')).toBe(false);
		expect(authorizationMatches('Bearer tok-124', 'tok-123')).toBe(false);
		expect(authorizationMatches('Basic tok-123', 'tok-123')).toBe(false);
		expect(authorizationMatches('tok-123x', 'tok-123')).toBe(false);
	});

	it('fails closed when the expected token is empty', () => {
		expect(authorizationMatches(undefined, '')).toBe(false);
		expect(authorizationMatches('', '')).toBe(false);
		expect(authorizationMatches('Bearer ', '')).toBe(false);
	});
});

describe('token format check (credential test)', () => {
	it('accepts a printable ASCII token', () => {
		expect(tokenFormatProblem('Xy7-abc_DEF.123~!')).toBeUndefined();
	});

	it.each([
		['', /empty/],
		[' padded', /space/],
		['padded\t', /space/],
		['Bearer abc', /Bearer/],
		['tök', /printable ASCII/],
		['line\nbreak', /printable ASCII/],
	])('rejects %j with a message saying what to fix', (token, message) => {
		expect(tokenFormatProblem(token)).toMatch(message);
	});
});
