import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeProperties } from 'n8n-workflow';

import { AlibabaIceArchive } from '../../nodes/AlibabaIceArchive/AlibabaIceArchive.node';
import { PACKAGE_NAME } from '../helpers/engine';

const NODE_DIR = join(__dirname, '..', '..', 'nodes', 'AlibabaIceArchive');

describe('ICE Archive: node description', () => {
	const { description } = new AlibabaIceArchive();

	it('is usable as an AI tool, with the shared credential, a subtitle and light/dark icons that exist', () => {
		expect(description.name).toBe('alibabaIceArchive');
		expect(description.usableAsTool).toBe(true);
		expect(description.credentials?.map((c) => c.name)).toEqual(['alibabaCloudAccessKeyApi', 'alibabaCloudRamRoleApi']);
		expect(description.subtitle).toContain('$parameter["operation"]');
		const icon = description.icon as { light: string; dark: string };
		for (const file of [icon.light, icon.dark]) {
			expect(file).toMatch(/^file:.+\.svg$/);
			expect(existsSync(join(NODE_DIR, file.slice('file:'.length)))).toBe(true);
		}
	});

	it('offers the four operations, Get Call Log by default', () => {
		const operation = description.properties.find((p) => p.name === 'operation') as INodeProperties;
		expect(operation.default).toBe('getCallLog');
		expect((operation.options as Array<{ value: string }>).map((o) => o.value)).toEqual([
			'getCallLog',
			'getInstance',
			'listDialogues',
			'listInstances',
		]);
	});

	it('gives every parameter and option a description, and each operation its options', () => {
		const all = description.properties.flatMap((p) => [p, ...((p.options ?? []) as INodeProperties[])]);
		for (const property of all.filter((p) => 'displayName' in p && p.name !== 'operation' && p.name !== 'options')) {
			expect({ name: property.name, description: typeof property.description }).toEqual({
				name: property.name,
				description: 'string',
			});
		}
		const optionNames = (operation: string) =>
			(
				description.properties.find(
					(p) => p.name === 'options' && p.displayOptions?.show?.operation?.includes(operation),
				)?.options as INodeProperties[]
			).map((o) => o.name);
		expect(optionNames('getCallLog')).toEqual([
			'allowedDownloadHosts',
			'concurrency',
			'downloadDeadline',
			'includeRawCallLog',
			'maxDownloadSizeMb',
			'splitIntoItems',
			'timeout',
			'waitForCallLog',
			'waitForCallLogSeconds',
		]);
		expect(optionNames('listInstances')).toEqual([
			'allowedDownloadHosts',
			'concurrency',
			'downloadDeadline',
			'includeCallLog',
			'includeRawCallLog',
			'maxDownloadSizeMb',
			'pageSize',
			'timeout',
		]);
		expect(optionNames('listDialogues')).toEqual(['concurrency', 'order', 'pageSize', 'splitIntoItems', 'timeout']);
	});

	it('keeps the raw call log opt-in and waits up to 60 s for a late log by default', () => {
		const option = (operation: string, name: string) =>
			(
				description.properties.find(
					(p) => p.name === 'options' && p.displayOptions?.show?.operation?.includes(operation),
				)?.options as INodeProperties[]
			).find((o) => o.name === name);
		expect(option('getCallLog', 'includeRawCallLog')?.default).toBe(false);
		expect(option('listInstances', 'includeRawCallLog')?.default).toBe(false);
		expect(option('getCallLog', 'waitForCallLog')?.default).toBe(true);
		expect(option('getCallLog', 'waitForCallLogSeconds')?.default).toBe(60);
	});

	it('has a codex file naming the node', () => {
		const codex = JSON.parse(readFileSync(join(NODE_DIR, 'AlibabaIceArchive.node.json'), 'utf8')) as {
			node: string;
			resources: { primaryDocumentation: Array<{ url: string }> };
		};
		expect(codex.node).toBe(`${PACKAGE_NAME}.alibabaIceArchive`);
		expect(codex.resources.primaryDocumentation[0].url).toMatch(/^https:\/\//);
	});
});
