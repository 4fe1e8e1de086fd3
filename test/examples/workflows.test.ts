import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { NodeHelpers, type INode } from 'n8n-workflow';

import { latestVersion, PACKAGE_NAME, TestNodeTypes } from '../helpers/engine';

const DIR = join(__dirname, '..', '..', 'examples');

/** Node types that run user JavaScript or Python: a flow that needs one is missing a feature. */
export const CODE_NODE_TYPES = [
	'n8n-nodes-base.code',
	'n8n-nodes-base.function',
	'n8n-nodes-base.functionItem',
	'@n8n/n8n-nodes-langchain.code',
	'@n8n/n8n-nodes-langchain.toolCode',
];

interface Workflow {
	name: string;
	nodes: INode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}

const examples = readdirSync(DIR)
	.filter((file) => file.endsWith('.json'))
	.sort()
	.map((file) => ({ file, workflow: JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Workflow }));

describe('example workflows', () => {
	it('are there', () => {
		expect(examples.length).toBeGreaterThanOrEqual(4);
	});

	describe.each(examples.map((example) => [example.file, example.workflow] as const))('%s', (_file, workflow) => {
		it('contains no Code node', () => {
			expect(workflow.nodes.filter((node) => CODE_NODE_TYPES.includes(node.type)).map((node) => node.name)).toEqual([]);
		});

		it('connects only nodes it has, and every node but the sticky note is connected', () => {
			const names = new Set(workflow.nodes.map((node) => node.name));
			const targets = Object.values(workflow.connections).flatMap((output) => output.main.flat().map((target) => target.node));
			expect(targets.filter((target) => !names.has(target))).toEqual([]);
			const linked = new Set([...Object.keys(workflow.connections), ...targets]);
			const loose = workflow.nodes.filter((node) => node.type !== 'n8n-nodes-base.stickyNote' && !linked.has(node.name));
			expect(loose.map((node) => node.name)).toEqual([]);
		});

		it('uses the newest version of each package node, with parameters n8n accepts', () => {
			const nodeTypes = new TestNodeTypes();
			for (const node of workflow.nodes.filter((candidate) => candidate.type.startsWith(`${PACKAGE_NAME}.`))) {
				const type = nodeTypes.getByName(node.type);
				expect({ node: node.name, version: node.typeVersion }).toEqual({ node: node.name, version: latestVersion(type) });
				const { description } = type;
				const withDefaults = {
					...node,
					parameters: NodeHelpers.getNodeParameters(description.properties, node.parameters, true, false, node, description)!,
				};
				const issues = NodeHelpers.getNodeParametersIssues(description.properties, withDefaults, description);
				expect({ node: node.name, issues }).toEqual({ node: node.name, issues: null });
			}
		});

		it('has a sticky note that says what to change for real use', () => {
			const notes = workflow.nodes.filter((node) => node.type === 'n8n-nodes-base.stickyNote');
			const text = notes.map((note) => String(note.parameters.content)).join('\n');
			expect(text).toMatch(/For real use/);
			expect(text).toMatch(/credential/i);
		});
	});
});
