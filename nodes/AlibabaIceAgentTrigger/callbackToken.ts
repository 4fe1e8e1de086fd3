import { createHash, timingSafeEqual } from 'node:crypto';

function digest(value: string): Buffer {
	return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Constant-time comparison. Both sides are hashed first, so timingSafeEqual always gets two
 * 32-byte buffers and the time taken says nothing about the expected token's length or prefix.
 */
export function tokensMatch(received: string, expected: string): boolean {
	return timingSafeEqual(digest(received), digest(expected));
}

/**
 * The agent puts the token in `Authorization`; the documentation does not say whether as the raw
 * token or as `Bearer <token>`, so both are accepted. An empty expected token never matches,
 * so a misconfigured credential fails closed instead of letting every caller in.
 */
export function authorizationMatches(header: string | string[] | undefined, expected: string): boolean {
	const value = (Array.isArray(header) ? header[0] : header)?.trim() ?? '';
	const bearer = /^bearer\s+(.*)$/is.exec(value);
	// Both comparisons always run, so timing does not reveal which form was tried.
	const asRaw = tokensMatch(value, expected);
	const asBearer = tokensMatch(bearer ? bearer[1].trim() : '', expected);
	return expected !== '' && (asRaw || asBearer);
}

/** Why a token could never arrive intact in an HTTP header, or undefined when it can. */
export function tokenFormatProblem(token: string): string | undefined {
	if (token === '') return 'The token is empty. Enter the token set in the agent\'s callback configuration.';
	if (token !== token.trim()) {
		return 'The token starts or ends with a space, which HTTP drops from header values. Remove the spaces here and in the agent\'s callback configuration.';
	}
	if (/^bearer\s/i.test(token)) {
		return 'Enter the token without the "Bearer " prefix; the node accepts the header with or without it.';
	}
	if (/[^\x20-\x7E]/.test(token)) {
		return 'The token may only hold printable ASCII characters, because it travels in the Authorization header. Choose a token of letters, digits and symbols.';
	}
	return undefined;
}
