import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

/**
 * The "Authentication" selector every Alibaba node shows, as n8n's own multi-credential nodes
 * do. Workflows saved before it existed have no value and keep the AccessKey credential.
 */
export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	noDataExpression: true,
	default: 'accessKey',
	description: 'Which credential signs the requests: a long-lived AccessKey, or a RAM role whose short-lived keys n8n renews',
	options: [
		{
			name: 'AccessKey',
			value: 'accessKey',
			description: 'A RAM user AccessKey pair (or STS keys you renew yourself)',
		},
		{
			name: 'RAM Role',
			value: 'ramRole',
			description: 'Short-lived keys from STS AssumeRole or the ECS instance role, renewed automatically',
		},
	],
};

export const alibabaCredentials: INodeCredentialDescription[] = [
	{
		name: 'alibabaCloudAccessKeyApi',
		required: true,
		displayOptions: { show: { authentication: ['accessKey'] } },
	},
	{
		name: 'alibabaCloudRamRoleApi',
		required: true,
		displayOptions: { show: { authentication: ['ramRole'] } },
	},
];
