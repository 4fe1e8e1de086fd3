import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { AlibabaChatbotChat } from '../../nodes/AlibabaChatbotChat/AlibabaChatbotChat.node';

const folder = join(__dirname, '..', '..', 'nodes', 'AlibabaChatbotChat');

describe('Alibaba Chatbot Chat description', () => {
	const { description } = new AlibabaChatbotChat();

	it('can be used as an AI tool with the AccessKey credential', () => {
		expect(description.name).toBe('alibabaChatbotChat');
		expect(description.usableAsTool).toBe(true);
		expect(description.credentials?.map((c) => c.name)).toEqual(['alibabaCloudAccessKeyApi', 'alibabaCloudRamRoleApi']);
		// An agent fills these; they need descriptions that say what to put in.
		for (const name of ['instanceId', 'utterance', 'sessionId', 'agentKey']) {
			const property = description.properties.find((p) => p.name === name);
			expect(property?.description).toBeTruthy();
		}
	});

	it('references icons and a codex file that exist and match the node', () => {
		const icon = description.icon as { light: string; dark: string };
		for (const file of [icon.light, icon.dark]) expect(existsSync(join(folder, file.replace(/^file:/, '')))).toBe(true);
		const codex = JSON.parse(readFileSync(join(folder, 'AlibabaChatbotChat.node.json'), 'utf8'));
		expect(codex.node).toBe(`n8n-nodes-alibaba-cloud-conversations.${description.name}`);
		expect(codex.resources.primaryDocumentation[0].url).toMatch(/^https:\/\//);
	});
});
