import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { callerIdentityTestRequest } from './common/callerIdentityTest';
import { serviceEndpointProperties } from './common/endpointProperties';
import {
	obtainTemporaryCredentials,
	SESSION_FIELD,
	signWithTemporaryCredentials,
} from './common/ramRole/temporaryCredentials';

/*
 * How the temporary key is obtained, stored and renewed (read with n8n-core 2.8's
 * request-helper-functions and the CLI's CredentialsHelper.preAuthentication):
 *
 * 1. n8n runs `preAuthentication` only when the hidden `expirable` field is empty, after a request
 *    failed with HTTP 401 (httpRequestWithAuthentication; the legacy requestWithAuthentication used
 *    by the HTTP Request node retries after any error), and for the Test button. What it returns is
 *    merged into the credential and saved, encrypted, in n8n's database, so every execution and
 *    every queue-mode worker reads the same temporary key. n8n itself knows nothing of expiry.
 * 2. Expiry is added on top without timers: the stored key carries its `refreshAt` (15 minutes
 *    before expiry, or half its lifetime for short keys). `authenticate` checks it before signing;
 *    when the key is due (or missing, or made for other settings) it throws an error that carries
 *    `response.status = 401`. n8n-core takes that for an expired credential: it calls
 *    preAuthentication, stores the new key and signs again; nothing was sent with the old key.
 * 3. Single-flight: preAuthentication goes through an in-process cache keyed by a fingerprint of
 *    the settings. Parallel items that find the key due all await one AssumeRole, and a key another
 *    item already renewed is handed out without a call. Between processes the database copy is the
 *    shared state; at worst each worker renews once per window.
 * 4. A service that still answers InvalidSecurityToken.Expired (revoked key, clock skew) makes the
 *    package's transport reject that key and blank the field: n8n renews once and the call is
 *    retried once (nodes/shared/transport/credentialBinding.ts).
 */
export class AlibabaCloudRamRoleApi implements ICredentialType {
	name = 'alibabaCloudRamRoleApi';

	displayName = 'Alibaba Cloud RAM Role API';

	icon = { light: 'file:icons/alibabaCloud.svg', dark: 'file:icons/alibabaCloud.dark.svg' } as const;

	documentationUrl = 'https://www.alibabacloud.com/help/en/ram/user-guide/create-a-ram-role-for-a-trusted-alibaba-cloud-account';

	httpRequestNode = {
		name: 'Alibaba Cloud (RAM Role)',
		docsUrl: 'https://www.alibabacloud.com/help/en/ram/developer-reference/api-sts-2015-04-01-assumerole',
		apiBaseUrlPlaceholder: 'https://ice.cn-shanghai.aliyuncs.com',
	};

	properties: INodeProperties[] = [
		{
			displayName: 'Source',
			name: 'credentialSource',
			type: 'options',
			default: 'assumeRole',
			options: [
				{
					name: 'AccessKey Assumes a RAM Role (STS AssumeRole)',
					value: 'assumeRole',
					description: 'A RAM user AccessKey that may assume the role; n8n keeps only short-lived keys for the calls',
				},
				{
					name: 'ECS Instance RAM Role (Metadata Server)',
					value: 'ecsInstance',
					description: 'For n8n running on an Alibaba Cloud ECS instance with a RAM role attached; no AccessKey at all',
				},
			],
		},
		{
			displayName: 'Source AccessKey ID',
			name: 'accessKeyId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { credentialSource: ['assumeRole'] } },
		},
		{
			displayName: 'Source AccessKey Secret',
			name: 'accessKeySecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { credentialSource: ['assumeRole'] } },
		},
		{
			displayName: 'Source Security Token',
			name: 'securityToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Only when the source key is itself temporary (STS); leave empty for a RAM user AccessKey',
			displayOptions: { show: { credentialSource: ['assumeRole'] } },
		},
		{
			displayName: 'Role ARN',
			name: 'roleArn',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'acs:ram::1234567890123456:role/n8n-conversations',
			description: 'ARN of the RAM role to assume, from the role\'s page in the RAM console',
			displayOptions: { show: { credentialSource: ['assumeRole'] } },
		},
		{
			displayName: 'Role Session Name',
			name: 'roleSessionName',
			type: 'string',
			default: 'n8n',
			description: 'Shown in ActionTrail as who acted: 2-64 letters, digits, ".", "@", "-" or "_"',
			displayOptions: { show: { credentialSource: ['assumeRole'] } },
		},
		{
			displayName: 'Duration (Seconds)',
			name: 'durationSeconds',
			type: 'number',
			typeOptions: { minValue: 900, maxValue: 43200 },
			default: 3600,
			description: 'Lifetime of each temporary key, 900-43200 seconds, at most the role\'s maximum session duration',
			displayOptions: { show: { credentialSource: ['assumeRole'] } },
		},
		{
			displayName: 'External ID',
			name: 'externalId',
			type: 'string',
			default: '',
			description: 'Only if the role\'s trust policy requires an sts:ExternalId',
			displayOptions: { show: { credentialSource: ['assumeRole'] } },
		},
		{
			displayName: 'Session Policy',
			name: 'policy',
			type: 'string',
			typeOptions: { rows: 4 },
			default: '',
			placeholder: '{"Version": "1", "Statement": [{"Effect": "Allow", "Action": "ice:*", "Resource": "*"}]}',
			description: 'Optional RAM policy (JSON) that narrows what n8n may do with the role; it can never widen it',
			displayOptions: { show: { credentialSource: ['assumeRole'] } },
		},
		{
			displayName: 'STS Endpoint',
			name: 'stsEndpointType',
			type: 'options',
			default: 'public',
			description: 'Which STS host of the region to call. A custom STS endpoint below overrides this.',
			options: [
				{ name: 'Regional (sts.&lt;region&gt;.aliyuncs.com)', value: 'public' },
				{ name: 'VPC (sts-vpc.&lt;region&gt;.aliyuncs.com)', value: 'vpc' },
			],
			displayOptions: { show: { credentialSource: ['assumeRole'] } },
		},
		{
			displayName: 'ECS Role Name',
			name: 'ecsRoleName',
			type: 'string',
			default: '',
			description: 'The RAM role attached to the instance. Leave empty to use whichever role is attached.',
			displayOptions: { show: { credentialSource: ['ecsInstance'] } },
		},
		{
			displayName: 'Metadata Base URL',
			name: 'metadataBaseUrl',
			type: 'string',
			default: 'http://100.100.100.200',
			description: 'The ECS instance metadata server. Change it only for a test stand-in.',
			displayOptions: { show: { credentialSource: ['ecsInstance'] } },
		},
		...serviceEndpointProperties,
		{
			displayName: 'Temporary Credentials',
			name: SESSION_FIELD,
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		return await obtainTemporaryCredentials(this.helpers, credentials);
	}

	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => signWithTemporaryCredentials(credentials, requestOptions);

	test: ICredentialTestRequest = {
		request: callerIdentityTestRequest(
			'={{ (($credentials.customEndpoints && $credentials.stsEndpoint ? String($credentials.stsEndpoint).trim() : "") || ("https://sts" + ($credentials.stsEndpointType === "vpc" ? "-vpc." : ".") + ($credentials.region || "cn-shanghai") + ".aliyuncs.com")).replace(/\\/+$/, "").replace(/^(?!https?:\\/\\/)/i, "https://") }}',
		),
		// Step 1 (AssumeRole) runs in preAuthentication and explains its own failures; these rules
		// read step 2, GetCallerIdentity signed with the temporary key.
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'IdentityType',
					value: 'RAMUser',
					message:
						'Step 2 of 2 (GetCallerIdentity) answered as the source RAM user, not as the role: the temporary key was not used. Check custom endpoints.',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'AccountId',
					value: undefined,
					message:
						'Step 1 (AssumeRole) succeeded, but step 2 of 2 (GetCallerIdentity with the temporary key) was refused. Check the STS endpoint, the n8n server clock, and that the session Policy does not deny sts:GetCallerIdentity.',
				},
			},
		],
	};
}
