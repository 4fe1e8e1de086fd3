/**
 * The canvas subtitle under each node, computed as n8n's editor computes it
 * (nodeHelpers.getNodeSubtitle: workflow.expression.getSimpleParameterValue on the node).
 */
import {
	NodeHelpers,
	Workflow,
	type INode,
	type INodeParameters,
	type INodePropertyOptions,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { PACKAGE_NAME, TestNodeTypes } from '../helpers/engine';

const nodeTypes = new TestNodeTypes();
const descriptions: INodeTypeDescription[] = Object.keys(nodeTypes.getKnownTypes())
	.filter((name) => name.startsWith(`${PACKAGE_NAME}.`))
	.map((name) => nodeTypes.getByName(name).description);

function subtitleOf(description: INodeTypeDescription, parameters: INodeParameters): unknown {
	const resolved = NodeHelpers.getNodeParameters(description.properties, parameters, true, false, null, description);
	const node: INode = {
		id: 'node-under-test',
		name: description.defaults.name ?? description.displayName,
		type: `${PACKAGE_NAME}.${description.name}`,
		typeVersion: 1,
		position: [0, 0],
		parameters: resolved ?? {},
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return workflow.expression.getSimpleParameterValue(node, description.subtitle, 'internal', {}, undefined, '[filled at execution time]');
}

function optionsOf(description: INodeTypeDescription, name: string): INodePropertyOptions[] {
	const property = description.properties.find((p) => p.name === name);
	return (property?.options ?? []) as INodePropertyOptions[];
}

/** Words, not an identifier: a raw value like "analyzeConversation" or "agent_stop" has no space and mixed case or an underscore. */
const looksLikeWords = (text: string) => !/_/.test(text) && !/^[a-z]+[A-Z]\w*$/.test(text) && /^[A-Z]/.test(text);

const withOperation = descriptions.filter((d) => optionsOf(d, 'operation').length > 0);
const triggers = descriptions.filter((d) => d.group.includes('trigger'));

describe('canvas subtitles read as words', () => {
	it('every node has a subtitle', () => {
		for (const description of descriptions) expect({ name: description.name, subtitle: typeof description.subtitle }).toEqual({ name: description.name, subtitle: 'string' });
		expect(withOperation.length).toBeGreaterThanOrEqual(4);
	});

	it.each(
		withOperation.flatMap((description) =>
			optionsOf(description, 'operation').map((option) => [description.name, option.value, option.name, description] as const),
		),
	)('%s, operation %s → "%s"', (_name, value, words, description) => {
		const subtitle = subtitleOf(description, { operation: value });
		expect(subtitle).toBe(words);
		expect(looksLikeWords(String(subtitle))).toBe(true);
	});

	it('the agent-callback trigger names its events, or says it takes all of them', () => {
		const trigger = descriptions.find((d) => d.name === 'alibabaIceAgentTrigger') as INodeTypeDescription;
		expect(subtitleOf(trigger, { events: [] })).toBe('All Events');
		expect(subtitleOf(trigger, { events: ['agent_stop', 'chat_record'] })).toBe('Agent Stop, Chat Record');
		for (const option of optionsOf(trigger, 'events')) {
			const subtitle = String(subtitleOf(trigger, { events: [option.value] }));
			expect(subtitle).toBe(option.name);
			expect(looksLikeWords(subtitle)).toBe(true);
		}
		// A value from a newer Alibaba event list still shows, rather than vanishing.
		expect(subtitleOf(trigger, { events: ['brand_new_event'] })).toBe('brand_new_event');
	});

	it('the call trigger names its agent, or asks for one rather than showing "Agent " alone', () => {
		const trigger = descriptions.find((d) => d.name === 'alibabaIceCallTrigger') as INodeTypeDescription;
		expect(subtitleOf(trigger, { aiAgentId: 'agent-7f3c' })).toBe('Agent agent-7f3c');
		expect(subtitleOf(trigger, { aiAgentId: '' })).toBe('Choose an Agent');
	});

	it('every trigger subtitle reads as words with its default parameters', () => {
		expect(triggers.length).toBeGreaterThanOrEqual(1);
		for (const trigger of triggers) {
			const subtitle = String(subtitleOf(trigger, {}));
			expect({ name: trigger.name, subtitle, words: looksLikeWords(subtitle) }).toEqual({ name: trigger.name, subtitle, words: true });
		}
	});
});
