import { runWorkflow } from '../helpers/engine';

describe('engine harness', () => {
	it('runs a workflow through n8n-core WorkflowExecute and returns node output', async () => {
		const result = await runWorkflow({
			nodes: [{ name: 'Start', type: 'test.items', parameters: { items: '[{"a":1},{"a":2}]' }, credentials: [] }],
		});
		expect(result.run.status).toBe('success');
		expect(result.output('Start').map((item) => item.json)).toEqual([{ a: 1 }, { a: 2 }]);
	});
});
