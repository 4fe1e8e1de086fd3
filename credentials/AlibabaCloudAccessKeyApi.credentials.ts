import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { callerIdentityTestRequest } from './common/callerIdentityTest';
import { serviceEndpointProperties } from './common/endpointProperties';
import { signRequestOptions } from './common/signRequestOptions';

const bodyRule = (code: string, message: string) => ({
	type: 'responseSuccessBody' as const,
	properties: { key: 'Code', value: code, message },
});

export class AlibabaCloudAccessKeyApi implements ICredentialType {
	name = 'alibabaCloudAccessKeyApi';

	displayName = 'Alibaba Cloud AccessKey API';

	icon = { light: 'file:icons/alibabaCloud.svg', dark: 'file:icons/alibabaCloud.dark.svg' } as const;

	documentationUrl = 'https://www.alibabacloud.com/help/en/ram/user-guide/create-an-accesskey-pair';

	httpRequestNode = {
		name: 'Alibaba Cloud',
		docsUrl: 'https://www.alibabacloud.com/help/en/sdk/product-overview/v3-request-structure-and-signature',
		apiBaseUrlPlaceholder: 'https://ice.cn-shanghai.aliyuncs.com',
	};

	properties: INodeProperties[] = [
		{
			displayName: 'AccessKey ID',
			name: 'accessKeyId',
			type: 'string',
			default: '',
			required: true,
		},
		{
			displayName: 'AccessKey Secret',
			name: 'accessKeySecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Security Token',
			name: 'securityToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only for temporary STS credentials; leave empty for a RAM user AccessKey',
		},
		...serviceEndpointProperties,
	];

	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => signRequestOptions(credentials, requestOptions);

	test: ICredentialTestRequest = {
		// Same rules as the nodes' endpoints: trimmed, no trailing slash, https:// when no scheme is given.
		request: callerIdentityTestRequest(
			'={{ (($credentials.customEndpoints && $credentials.stsEndpoint ? String($credentials.stsEndpoint).trim() : "") || "https://sts.aliyuncs.com").replace(/\\/+$/, "").replace(/^(?!https?:\\/\\/)/i, "https://") }}',
		),
		// Alibaba's error body names what is wrong; n8n 2.x drops the HTTP status before rules see it,
		// so the answer is read as a body and matched on its Code. The last rule catches anything else.
		rules: [
			bodyRule(
				'SignatureDoesNotMatch',
				'The AccessKey secret does not belong to this AccessKey ID (SignatureDoesNotMatch). Paste the secret again, without spaces.',
			),
			bodyRule(
				'InvalidAccessKeyId.NotFound',
				'The AccessKey ID was not found (InvalidAccessKeyId.NotFound). Check the AccessKey ID and that the key is enabled in the RAM console.',
			),
			bodyRule(
				'InvalidAccessKeyId.Inactive',
				'The AccessKey is disabled (InvalidAccessKeyId.Inactive). Enable it in the RAM console or use another key.',
			),
			bodyRule(
				'InvalidSecurityToken.Expired',
				'The STS security token has expired (InvalidSecurityToken.Expired). Fetch new temporary credentials.',
			),
			bodyRule(
				'InvalidSecurityToken.MismatchWithAccessKey',
				'The security token does not belong to this AccessKey (InvalidSecurityToken.MismatchWithAccessKey). Leave it empty for a RAM user key, or enter the token issued with this STS key.',
			),
			bodyRule(
				'InvalidTimeStamp.Expired',
				'Alibaba Cloud rejected the request time (InvalidTimeStamp.Expired). Check the n8n server clock.',
			),
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'AccountId',
					value: undefined,
					message:
						'Alibaba Cloud did not confirm this key (STS GetCallerIdentity returned no account). Check the AccessKey, the security token and, with custom endpoints, the STS endpoint.',
				},
			},
		],
	};
}
