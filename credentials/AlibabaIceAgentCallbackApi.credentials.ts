import type { ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The token the AI agent sends with each callback. Nothing at Alibaba Cloud can verify it (the
 * agent only sends it), so the Alibaba ICE Agent Trigger tests its form via `testedBy`.
 */
export class AlibabaIceAgentCallbackApi implements ICredentialType {
	name = 'alibabaIceAgentCallbackApi';

	displayName = 'Alibaba ICE Agent Callback API';

	icon = { light: 'file:icons/alibabaCloud.svg', dark: 'file:icons/alibabaCloud.dark.svg' } as const;

	documentationUrl = 'https://help.aliyun.com/zh/ims/user-guide/agent-callback';

	properties: INodeProperties[] = [
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The authentication token entered in the agent\'s Callback Configurations in the Alibaba Cloud console. The agent sends it in the Authorization header; callbacks without it are rejected with 401.',
		},
	];
}
