/**
 * Plain words for a network failure. The raw codes (ECONNREFUSED, ETIMEDOUT, ...) must not
 * appear in a message: n8n replaces any error message containing one with a generic sentence,
 * which would drop the explanation around it.
 */
export function networkReason(error: unknown): string {
	const code = String((error as { code?: unknown })?.code ?? '');
	if (code === 'ECONNREFUSED') return 'connection refused';
	if (code === 'ETIMEDOUT' || code === 'ECONNABORTED' || code === 'ESOCKETTIMEDOUT') return 'no answer in time';
	if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'host unreachable';
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'host name not found';
	if (code === 'ECONNRESET') return 'connection reset';
	return 'network error';
}
