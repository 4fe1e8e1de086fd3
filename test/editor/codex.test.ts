/**
 * What makes a node findable in n8n 2.8's node panel. The rules below restate the editor's own
 * code (packages/frontend/editor-ui, node creator), so a codex change that would hide a node
 * fails here before anyone opens a browser; test/e2e/checks/editor.js proves it in the real editor.
 *
 * - Search looks at the display name and the codex `alias` only (sublimeSearch DEFAULT_KEYS).
 * - `filterOutAiNodes` drops every node whose categories include "AI" unless its AI
 *   subcategories include "Root Nodes", whenever the canvas holds no AI node. That hid every
 *   node of this package before: they listed "AI" with no or a "Miscellaneous" subcategory.
 * - With an AI node on the canvas, `groupIfAiNodes` files "AI" nodes into "<subcategory>
 *   (sub-nodes)" sections, and drops those with no AI subcategory entirely.
 * - `subcategorizeItems` puts a node in the "*" subcategory (the "Action in an app" and
 *   app-trigger lists) only if it has no "Core Nodes", "AI" or "HITL" subcategory.
 * The AI-agent tool variant ("… Tool") gets its own codex from n8n (AI → Tools), so leaving
 * "AI" out here does not stop the nodes being used as tools.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeTypeDescription } from 'n8n-workflow';

import { PACKAGE_NAME, TestNodeTypes } from '../helpers/engine';

interface Codex {
	node: string;
	categories: string[];
	subcategories?: Record<string, string[]>;
	alias?: string[];
	resources?: { primaryDocumentation?: Array<{ url: string }>; credentialDocumentation?: Array<{ url: string }> };
}

const NODES_DIR = join(__dirname, '..', '..', 'nodes');
const PACKAGE_JSON = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
	n8n: { nodes: string[] };
};

/** n8n's standard codex categories (packages/frontend/editor-ui node creator and n8n.io). */
const N8N_CATEGORIES = [
	'AI',
	'Analytics',
	'Communication',
	'Core Nodes',
	'Data & Storage',
	'Development',
	'Finance & Accounting',
	'HITL',
	'Marketing',
	'Miscellaneous',
	'Productivity',
	'Sales',
	'Utility',
];

/** What a user may type to find each node: the vendor, the product and what the node does. */
const SEARCH_TERMS: Record<string, string[]> = {
	alibabaIceArchive: ['ICE', 'call log', 'transcript', 'list calls'],
	alibabaIceAgentTrigger: ['ICE', 'callback', 'chat record', 'transcript'],
	alibabaIceCallTrigger: ['ICE', 'call log', 'transcript', 'new call'],
	alibabaChatbotChat: ['Chatbot', 'Tongyi', 'chat', 'send message'],
	alibabaCcaiAnalyze: ['CCAI', 'ContactCenterAI', 'Tongyi', 'analyze conversation', 'summary', 'quality inspection'],
	alibabaDialogDetail: ['DianJin', 'Tongyi', 'transcript', 'dialog detail', 'analysis result'],
};
const VENDOR_TERMS = ['Alibaba', 'Aliyun'];

function codexFiles(): Array<{ folder: string; codex: Codex }> {
	return readdirSync(NODES_DIR, { withFileTypes: true })
		.filter((entry) => entry.isDirectory() && entry.name !== 'shared')
		.flatMap((entry) =>
			readdirSync(join(NODES_DIR, entry.name))
				.filter((file) => file.endsWith('.node.json'))
				.map((file) => ({
					folder: entry.name,
					codex: JSON.parse(readFileSync(join(NODES_DIR, entry.name, file), 'utf8')) as Codex,
				})),
		);
}

function descriptions(): INodeTypeDescription[] {
	const types = new TestNodeTypes();
	return Object.keys(types.getKnownTypes())
		.filter((name) => name.startsWith(`${PACKAGE_NAME}.`))
		.map((name) => types.getByName(name).description);
}

/** Case-insensitive substring: stricter than the editor's fuzzy match, which also accepts scattered letters. */
function findable(term: string, description: INodeTypeDescription, codex: Codex): boolean {
	const haystacks = [description.displayName, ...(codex.alias ?? [])].map((text) => text.toLowerCase());
	return haystacks.some((text) => text.includes(term.toLowerCase()));
}

const codexes = codexFiles();
const nodes = descriptions();
const codexOf = (name: string) => codexes.find(({ codex }) => codex.node === `${PACKAGE_NAME}.${name}`)?.codex;

describe('codex files', () => {
	it('every node in package.json has a codex file next to it, naming it', () => {
		expect(nodes.length).toBe(PACKAGE_JSON.n8n.nodes.length);
		for (const description of nodes) {
			const codex = codexOf(description.name);
			expect({ node: description.name, found: codex !== undefined }).toEqual({ node: description.name, found: true });
		}
		for (const entry of PACKAGE_JSON.n8n.nodes) {
			const [, folder, file] = /dist\/nodes\/([^/]+)\/(.+)\.node\.js$/.exec(entry) ?? [];
			expect(codexes.some((c) => c.folder === folder)).toBe(true);
			expect(file).toBe(folder);
		}
	});

	it.each(codexes.map(({ folder, codex }) => [folder, codex] as const))(
		'%s: app-node categories only, no "AI" category the editor would hide',
		(_folder, codex) => {
			expect(codex.categories.length).toBeGreaterThan(0);
			for (const category of codex.categories) expect(N8N_CATEGORIES).toContain(category);
			// filterOutAiNodes / groupIfAiNodes: "AI" without "Root Nodes" is dropped from search,
			// and "AI" with any AI subcategory leaves the "Action in an app" list.
			expect(codex.categories).not.toContain('AI');
			expect(codex.subcategories ?? {}).toEqual({});
		},
	);

	it.each(codexes.map(({ folder, codex }) => [folder, codex] as const))('%s: links documentation', (_folder, codex) => {
		expect(codex.resources?.primaryDocumentation?.[0]?.url).toMatch(/^https:\/\//);
		expect(codex.resources?.credentialDocumentation?.[0]?.url).toMatch(/^https:\/\//);
	});
});

describe('search terms find every node', () => {
	it('every node has a list of search terms here', () => {
		expect(nodes.map((d) => d.name).filter((name) => !SEARCH_TERMS[name])).toEqual([]);
	});

	it.each(nodes.map((description) => [description.name, description] as const))('%s', (name, description) => {
		const codex = codexOf(name);
		expect(codex).toBeDefined();
		const missing = [...VENDOR_TERMS, ...(SEARCH_TERMS[name] ?? [])].filter(
			(term) => !findable(term, description, codex as Codex),
		);
		expect(missing).toEqual([]);
	});
});

describe('node panel placement', () => {
	it('triggers are trigger-group nodes without inputs; the others are action nodes with a main input', () => {
		for (const description of nodes) {
			const isTrigger = description.group.includes('trigger');
			expect({ name: description.name, trigger: isTrigger, named: /Trigger$/.test(description.displayName) }).toEqual({
				name: description.name,
				trigger: isTrigger,
				named: isTrigger,
			});
			expect(description.inputs).toEqual(isTrigger ? [] : ['main']);
			expect(description.outputs).toEqual(['main']);
		}
	});

	it('every action node is usable as an AI-agent tool', () => {
		const actions = nodes.filter((description) => !description.group.includes('trigger'));
		expect(actions.length).toBeGreaterThanOrEqual(4);
		for (const description of actions) expect({ name: description.name, tool: description.usableAsTool }).toEqual({ name: description.name, tool: true });
	});
});
