import type { ICredentialTestRequest } from 'n8n-workflow';

/**
 * Both credentials prove themselves with STS GetCallerIdentity: it is free, needs no permission
 * and answers with the identity that signed it. Only the endpoint expression differs.
 * The status is ignored because n8n 2.x drops it before the rules run; the rules read the body's Code.
 */
export function callerIdentityTestRequest(baseURL: string): ICredentialTestRequest['request'] {
	return {
		baseURL,
		url: '/',
		method: 'POST',
		headers: {
			'x-acs-action': 'GetCallerIdentity',
			'x-acs-version': '2015-04-01',
		},
		ignoreHttpStatusErrors: true,
	};
}
