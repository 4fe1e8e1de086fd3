import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/** Credential data pointing every service at one emulator base URL. */
export function emulatorCredentials(
	baseUrl: string,
	keys: { accessKeyId: string; accessKeySecret: string; securityToken?: string },
	overrides: ICredentialDataDecryptedObject = {},
): Record<string, ICredentialDataDecryptedObject> {
	return {
		alibabaCloudAccessKeyApi: {
			accessKeyId: keys.accessKeyId,
			accessKeySecret: keys.accessKeySecret,
			securityToken: keys.securityToken ?? '',
			region: 'cn-shanghai',
			customEndpoints: true,
			iceEndpoint: baseUrl,
			chatbotEndpoint: baseUrl,
			chatbotStreamEndpoint: baseUrl,
			ccaiEndpoint: baseUrl,
			dianjinEndpoint: baseUrl,
			stsEndpoint: baseUrl,
			...overrides,
		},
	};
}
