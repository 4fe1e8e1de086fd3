import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData, INodeType } from 'n8n-workflow';

import { EMULATOR_KEYS, type Emulator, startEmulator } from '../emulator';
import { emulatorCredentials } from '../helpers/credentials';
import { registerNodeType, runWorkflow } from '../helpers/engine';
import { iceConversation } from '../ccaiAnalyze/setup';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { requiredDataTables } = require('../../scripts/lib/dataTables') as {
	requiredDataTables: (examples: Array<{ workflow: unknown }>) => Array<{ name: string; columns: Array<{ name: string; type: string }> }>;
};

const workflow = JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', 'ice-calls-analyze-to-data-table.json'), 'utf8')) as {
	nodes: INode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
};
const byName = (name: string) => workflow.nodes.find((node) => node.name === name)!;
const store = byName('One row per call');
const analyze = byName('Summarize and inspect');

/**
 * Stands in for the Data table node, which lives in n8n-nodes-base: it resolves the example's
 * own column mapping for every item in n8n's expression engine, so the row each call becomes
 * is checked without a database.
 */
const ROW_NODE_TYPE = 'test.dataTableRow';
registerNodeType(ROW_NODE_TYPE, {
	description: {
		displayName: 'Data Table Row',
		name: 'dataTableRow',
		group: ['transform'],
		version: 1,
		description: 'Resolves columns.value per item',
		defaults: { name: 'Data Table Row' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [{ displayName: 'Columns', name: 'columns', type: 'json', default: {} }],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData().map((_, i) => ({ json: this.getNodeParameter('columns.value', i) as IDataObject, pairedItem: { item: i } }))];
	},
} as unknown as INodeType);

describe('scheduled example: ICE Call Trigger → CCAI Analyze → Data table', () => {
	let emulator: Emulator;
	beforeAll(async () => {
		emulator = await startEmulator({ port: 0 });
	});
	afterAll(async () => await emulator.close());

	it('chains the three nodes, polls hourly, adds the analysis to the call and upserts by instanceId', () => {
		expect(workflow.connections['ICE Call Trigger'].main[0].map((t) => t.node)).toEqual(['Summarize and inspect']);
		expect(workflow.connections['Summarize and inspect'].main[0].map((t) => t.node)).toEqual(['One row per call']);
		const trigger = byName('ICE Call Trigger');
		expect(trigger.type).toBe('n8n-nodes-alibaba-cloud-conversations.alibabaIceCallTrigger');
		expect(trigger.parameters.pollTimes).toEqual({ item: [{ mode: 'everyHour', minute: 0 }] });
		expect(analyze.parameters).toMatchObject({ resultTypes: ['summary', 'service_inspection'], output: 'addToInput', resultField: 'analysis' });
		expect(store.type).toBe('n8n-nodes-base.dataTable');
		expect(store.parameters).toMatchObject({
			resource: 'row',
			operation: 'upsert',
			dataTableId: { __rl: true, mode: 'name', value: 'ice_calls' },
			filters: { conditions: [{ keyName: 'instanceId', condition: 'eq', keyValue: '={{ $json.instanceId }}' }] },
		});
	});

	it('maps every column it declares, and the table npm start and the e2e create has exactly those', () => {
		const columns = store.parameters.columns as { value: IDataObject; schema: Array<{ id: string; type: string }> };
		expect(Object.keys(columns.value).sort()).toEqual(columns.schema.map((c) => c.id).sort());
		const [table] = requiredDataTables([{ workflow }]);
		expect(table.name).toBe('ice_calls');
		expect(table.columns).toEqual(columns.schema.map((c) => ({ name: c.id, type: c.type })));
	});

	it('turns an analyzed call, a call without transcript and a call whose log never came into one row each', async () => {
		const calls: IDataObject[] = [
			{ instanceId: 'a'.repeat(32), status: 'Finished', startedAt: '2026-12-02T09:00:00.000Z', UserData: { ticket: 'T1' }, conversation: iceConversation('s-a') },
			{ instanceId: 'b'.repeat(32), status: 'Finished', startedAt: '2026-12-02T09:05:00.000Z', conversation: { source: 'ice', sentences: [] } },
			{ instanceId: 'c'.repeat(32), status: 'Executing', startedAt: null, conversation: null, callLogError: 'The call did not finish within 24 hours' },
		];
		const result = await runWorkflow({
			mode: 'trigger',
			nodes: [
				{ name: analyze.name, type: analyze.type, typeVersion: analyze.typeVersion, parameters: analyze.parameters as IDataObject },
				{ name: 'Row', type: ROW_NODE_TYPE, parameters: { columns: store.parameters.columns as IDataObject }, credentials: [] },
			],
			input: calls,
			credentials: emulatorCredentials(emulator.url, EMULATOR_KEYS),
		});
		expect(result.error(analyze.name)).toBeUndefined();
		const rows = result.output('Row').map((item) => item.json);
		expect(rows.map((row) => row.instanceId)).toEqual(calls.map((call) => call.instanceId));

		const [analyzed, empty, failed] = rows;
		expect(analyzed).toMatchObject({ status: 'Finished', startedAt: '2026-12-02T09:00:00.000Z', sentenceCount: 4, problem: '', userData: '{"ticket":"T1"}' });
		expect(analyzed.summary).toMatch(/共4句对话/);
		expect(JSON.parse(String(analyzed.inspection)).map((d: IDataObject) => d.title)).toEqual(['Request not answered', 'Private data requested']);
		expect(analyzed.inspectionHits).toBe('');
		expect(analyzed.totalTokens).toBeGreaterThan(0);

		expect(empty).toMatchObject({ sentenceCount: 0, summary: '', inspection: '[]', totalTokens: 0, userData: '' });
		expect(empty.problem).toMatch(/^Not analyzed: .*no sentence with text/);

		expect(failed).toMatchObject({ status: 'Executing', startedAt: '', sentenceCount: 0, summary: '' });
		expect(failed.problem).toBe('The call did not finish within 24 hours');

		// Only the call with a transcript was sent to CCAI.
		expect(emulator.requests.filter((request) => request.action === 'AnalyzeConversation')).toHaveLength(1);
	});
});
