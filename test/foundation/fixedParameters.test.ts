import type { IDataObject, IExecuteFunctions, INode } from 'n8n-workflow';

import { withFixedParameters } from '../../nodes/shared/options/fixedParameters';

/** A context whose getNodeParameter answers from `values` per item and counts its calls by name. */
function countingContext(parameters: IDataObject, values: (name: string, itemIndex: number) => unknown) {
	const calls: Record<string, number> = {};
	const node = { name: 'Analyze', parameters } as unknown as INode;
	const ctx = {
		marker: 'the real context',
		getNode() {
			return node;
		},
		whoAmI(this: { marker: string }) {
			return this.marker;
		},
		getNodeParameter(name: string, itemIndex: number, fallback?: unknown) {
			calls[name] = (calls[name] ?? 0) + 1;
			return values(name, itemIndex) ?? fallback;
		},
	};
	return { ctx: ctx as unknown as IExecuteFunctions, calls };
}

describe('withFixedParameters', () => {
	const parameters = {
		workspaceId: 'llm-1',
		appId: '={{ $json.app }}',
		options: { concurrency: 5, sceneName: '={{ $json.scene }}' },
		manualDialogue: { sentences: [{ role: 'user', text: 'hi' }] },
		resultTypes: ['summary', 'fields'],
	};
	const answer = (name: string, itemIndex: number) =>
		({
			workspaceId: 'llm-1',
			appId: `app-${itemIndex}`,
			options: { concurrency: 5, sceneName: `scene-${itemIndex}` },
			'manualDialogue.sentences': [{ role: 'user', text: 'hi' }],
			resultTypes: ['summary', 'fields'],
		})[name];

	it('asks n8n once for a parameter without an expression, and gives every item that answer', () => {
		const { ctx, calls } = countingContext(parameters, answer);
		const reader = withFixedParameters(ctx);
		const first = reader.getNodeParameter('resultTypes', 0);
		for (let itemIndex = 0; itemIndex < 100; itemIndex++) {
			expect(reader.getNodeParameter('workspaceId', itemIndex)).toBe('llm-1');
			expect(reader.getNodeParameter('resultTypes', itemIndex)).toBe(first);
			expect(reader.getNodeParameter('manualDialogue.sentences', itemIndex)).toEqual([{ role: 'user', text: 'hi' }]);
		}
		expect(calls).toEqual({ workspaceId: 1, resultTypes: 1, 'manualDialogue.sentences': 1 });
	});

	it('asks n8n for every item when the parameter holds an expression, also one nested in a collection', () => {
		const { ctx, calls } = countingContext(parameters, answer);
		const reader = withFixedParameters(ctx);
		for (let itemIndex = 0; itemIndex < 3; itemIndex++) {
			expect(reader.getNodeParameter('appId', itemIndex)).toBe(`app-${itemIndex}`);
			expect((reader.getNodeParameter('options', itemIndex) as IDataObject).sceneName).toBe(`scene-${itemIndex}`);
		}
		expect(calls).toEqual({ appId: 3, options: 3 });
	});

	it('keeps a parameter the workflow does not set (n8n answers with the default) after the first answer', () => {
		const { ctx, calls } = countingContext(parameters, () => undefined);
		const reader = withFixedParameters(ctx);
		expect(reader.getNodeParameter('customPrompt', 0, '')).toBe('');
		expect(reader.getNodeParameter('customPrompt', 1, '')).toBe('');
		expect(calls).toEqual({ customPrompt: 1 });
	});

	it('does not keep an answer that failed, nor one read with special options', () => {
		let fail = true;
		const { ctx, calls } = countingContext(parameters, (name, itemIndex) => {
			if (fail) throw new Error('invalid');
			return answer(name, itemIndex);
		});
		const reader = withFixedParameters(ctx);
		expect(() => reader.getNodeParameter('workspaceId', 0)).toThrow('invalid');
		fail = false;
		expect(reader.getNodeParameter('workspaceId', 0)).toBe('llm-1');
		reader.getNodeParameter('resultTypes', 0, [], { rawExpressions: true });
		reader.getNodeParameter('resultTypes', 1, [], { rawExpressions: true });
		expect(calls).toEqual({ workspaceId: 2, resultTypes: 2 });
	});

	it('leaves every other member to the real context, methods bound to it', () => {
		const { ctx } = countingContext(parameters, answer);
		const reader = withFixedParameters(ctx) as unknown as { whoAmI(): string; getNode(): INode };
		const { whoAmI } = reader;
		expect(whoAmI()).toBe('the real context');
		expect(reader.getNode().name).toBe('Analyze');
	});
});
