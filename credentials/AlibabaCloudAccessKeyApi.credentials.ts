import type {
	IAuthenticate,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { signRequestOptions } from './common/signRequestOptions';

const endpointField = (name: string, displayName: string, placeholder: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	placeholder,
	description: 'Full base URL. Leave empty to use the default endpoint for the region.',
	displayOptions: { show: { customEndpoints: [true] } },
});

export class AlibabaCloudAccessKeyApi implements ICredentialType {
	name = 'alibabaCloudAccessKeyApi';

	displayName = 'Alibaba Cloud AccessKey API';

	icon = { light: 'file:icons/alibabaCloud.svg', dark: 'file:icons/alibabaCloud.svg' } as const;

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
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			default: 'cn-shanghai',
			description:
				'Region of Intelligent Media Services. Chatbot and ContactCenterAI always use cn-shanghai, DianJin cn-beijing.',
			options: [
				{ name: 'China (Beijing)', value: 'cn-beijing' },
				{ name: 'China (Hangzhou)', value: 'cn-hangzhou' },
				{ name: 'China (Shanghai)', value: 'cn-shanghai' },
				{ name: 'China (Shenzhen)', value: 'cn-shenzhen' },
				{ name: 'Singapore', value: 'ap-southeast-1' },
				{ name: 'US (Silicon Valley)', value: 'us-west-1' },
			],
		},
		{
			displayName: 'Custom Endpoints',
			name: 'customEndpoints',
			type: 'boolean',
			default: false,
			description: 'Whether to override service endpoints, for VPC endpoints or a local emulator',
		},
		endpointField('iceEndpoint', 'ICE Endpoint', 'https://ice-vpc.cn-shanghai.aliyuncs.com'),
		endpointField('chatbotEndpoint', 'Chatbot Endpoint', 'https://chatbot.cn-shanghai.aliyuncs.com'),
		endpointField('chatbotStreamEndpoint', 'Chatbot Stream Endpoint', 'https://alime-ws.aliyuncs.com'),
		endpointField('ccaiEndpoint', 'ContactCenterAI Endpoint', 'https://contactcenterai.cn-shanghai.aliyuncs.com'),
		endpointField('dianjinEndpoint', 'DianJin Endpoint', 'https://dianjin.cn-beijing.aliyuncs.com'),
		endpointField('stsEndpoint', 'STS Endpoint', 'https://sts.aliyuncs.com'),
	];

	authenticate: IAuthenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => signRequestOptions(credentials, requestOptions);

	test: ICredentialTestRequest = {
		request: {
			// Same rules as the nodes' endpoints: trimmed, no trailing slash, https:// when no scheme is given.
			baseURL:
				'={{ (($credentials.customEndpoints && $credentials.stsEndpoint ? String($credentials.stsEndpoint).trim() : "") || "https://sts.aliyuncs.com").replace(/\\/+$/, "").replace(/^(?!https?:\\/\\/)/i, "https://") }}',
			url: '/',
			method: 'POST',
			headers: {
				'x-acs-action': 'GetCallerIdentity',
				'x-acs-version': '2015-04-01',
			},
		},
	};
}
