import type { INodeProperties } from 'n8n-workflow';

const endpointField = (name: string, displayName: string, placeholder: string): INodeProperties => ({
	displayName,
	name,
	type: 'string',
	default: '',
	placeholder,
	description: 'Full base URL. Leave empty to use the default endpoint for the region.',
	displayOptions: { show: { customEndpoints: [true] } },
});

/**
 * Region and per-service endpoint overrides, shared by every Alibaba credential so that the
 * transport (nodes/shared/transport/endpoints.ts) reads the same field names whichever one a node uses.
 */
export const serviceEndpointProperties: INodeProperties[] = [
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
