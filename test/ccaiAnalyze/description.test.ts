import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeProperties } from 'n8n-workflow';

import { AlibabaCcaiAnalyze } from '../../nodes/AlibabaCcaiAnalyze/AlibabaCcaiAnalyze.node';
import { RESULT_TYPES } from '../../nodes/AlibabaCcaiAnalyze/actions/analyzeConversation/resultTypes';
import { PACKAGE_NAME } from '../helpers/engine';
import { CCAI } from './setup';

describe('CCAI Analyze: node description', () => {
	const { description } = new AlibabaCcaiAnalyze();
	const property = (name: string) => description.properties.find((p) => p.name === name) as INodeProperties;

	it('offers exactly the 17 result types of the API, summary by default', () => {
		expect([...RESULT_TYPES].sort()).toEqual([...CCAI.resultTypes].sort());
		expect(property('resultTypes').type).toBe('multiOptions');
		expect(property('resultTypes').default).toEqual(['summary']);
	});

	it('defaults to the input conversation and has the run options with their defaults', () => {
		expect(property('dialogueSource').default).toBe('inputConversation');
		const options = Object.fromEntries(
			(property('options').options as INodeProperties[]).map((option) => [option.name, option.default]),
		);
		expect(options).toMatchObject({
			concurrency: 5,
			requestsPerSecond: 0,
			keepRawText: false,
			stream: false,
			maxDialogueCharacters: 60000,
			modelCode: 'tyxmTurbo',
		});
	});

	it('is a tool-usable node with the shared credential and a codex file naming it', () => {
		expect(description.name).toBe('alibabaCcaiAnalyze');
		expect(description.usableAsTool).toBe(true);
		expect(description.credentials?.map((c) => c.name)).toEqual(['alibabaCloudAccessKeyApi', 'alibabaCloudRamRoleApi']);
		const codex = JSON.parse(
			readFileSync(join(__dirname, '../../nodes/AlibabaCcaiAnalyze/AlibabaCcaiAnalyze.node.json'), 'utf8'),
		) as { node: string; resources: { primaryDocumentation: unknown[] } };
		expect(codex.node).toBe(`${PACKAGE_NAME}.alibabaCcaiAnalyze`);
		expect(codex.resources.primaryDocumentation.length).toBeGreaterThan(0);
	});
});
