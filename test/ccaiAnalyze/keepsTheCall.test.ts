import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { AlibabaCcaiAnalyze } from '../../nodes/AlibabaCcaiAnalyze/AlibabaCcaiAnalyze.node';
import { registerNodeType, runWorkflow } from '../helpers/engine';
import { analyze, analyzeRequests, errorText, iceConversation, jsonOf, pairedIndexes, params, useEmulator } from './setup';

/** An item as the ICE Call Trigger or ICE Archive emits it: the call, with its conversation. */
function call(instanceId: string, extra: IDataObject = {}): IDataObject {
	return {
		instanceId,
		status: 'Finished',
		userData: { ticket: `T-${instanceId}` },
		conversation: iceConversation(`session-${instanceId}`),
		...extra,
	};
}

const V11 = { typeVersion: 1.1 };

/** A start node whose one item carries a call and a recording, as a download node would leave it. */
const BINARY_NODE_TYPE = 'test.callWithRecording';
registerNodeType(BINARY_NODE_TYPE, {
	description: {
		displayName: 'Call With Recording',
		name: 'callWithRecording',
		group: ['input'],
		version: 1,
		description: 'Emits one call with a binary recording',
		defaults: { name: 'Call With Recording' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	},
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const binary = await this.helpers.prepareBinaryData(Buffer.from('ID3'), 'call.mp3', 'audio/mpeg');
		return [[{ json: call('bin'), binary: { recording: binary } }]];
	},
} as unknown as INodeType);

describe('CCAI Analyze 1.1: the analysis is added to the incoming item', () => {
	const context = useEmulator();

	it('by default keeps every input field and puts the analysis in "analysis", paired with its input', async () => {
		const input = [call('a'), call('b'), call('c')];
		const before = JSON.parse(JSON.stringify(input)) as IDataObject[];
		const result = await analyze(context, {}, input, V11);
		expect(result.error('Node')).toBeUndefined();
		const out = jsonOf(result.items);
		expect(pairedIndexes(result.items)).toEqual([0, 1, 2]);
		out.forEach((item, index) => {
			const { analysis, ...rest } = item;
			expect(rest).toEqual(before[index]);
			const result = analysis as IDataObject;
			expect(result.text).toMatch(/^对话摘要：共4句对话/);
			expect(result.sessionId).toBe(`session-${String(before[index].instanceId)}`);
			expect(typeof result.totalTokens).toBe('number');
			expect(result.skipped).toBeUndefined();
		});
		expect(analyzeRequests(context.emulator)).toHaveLength(3);
		// n8n hands the same input objects to every connected node: they must not change.
		expect(input).toEqual(before);
	});

	it('Put Result In Field takes a dotted path and keeps what else is in the objects along it', async () => {
		const input = [call('n', { meta: { source: 'ice', nested: { keep: 1 } } })];
		const result = await analyze(context, { resultField: 'meta.nested.ccai' }, input, V11);
		const [item] = jsonOf(result.items);
		expect(item.instanceId).toBe('n');
		const meta = item.meta as IDataObject;
		expect(meta.source).toBe('ice');
		expect((meta.nested as IDataObject).keep).toBe(1);
		expect(((meta.nested as IDataObject).ccai as IDataObject).text).toMatch(/^对话摘要/);
		expect((input[0].meta as IDataObject).nested).toEqual({ keep: 1 });
	});

	it('keeps the binary data of the incoming item', async () => {
		const result = await runWorkflow({
			nodes: [
				{ name: 'Recording', type: BINARY_NODE_TYPE },
				{ name: 'Node', type: 'alibabaCcaiAnalyze', parameters: params(), typeVersion: 1.1 },
			],
			credentials: context.credentials,
		});
		const [item] = result.output('Node');
		expect(item.binary?.recording?.fileName).toBe('call.mp3');
		expect(item.json.instanceId).toBe('bin');
		expect((item.json.analysis as IDataObject).text).toMatch(/^对话摘要/);
	});

	it('a field name that is not a name fails before any call', async () => {
		const result = await analyze(context, { resultField: 'a..b' }, [call('x')], V11);
		expect(errorText(result.error('Node'))).toContain('Put Result In Field "a..b" is not a field name');
		expect(analyzeRequests(context.emulator)).toHaveLength(0);
	});

	it('Replace Input Item outputs the analysis alone, as version 1 does', async () => {
		const replaced = await analyze(context, { output: 'replaceInput' }, [call('r')], V11);
		const v1 = await analyze(context, {}, [call('r')]);
		const [item] = jsonOf(replaced.items);
		const [old] = jsonOf(v1.items);
		expect(item.instanceId).toBeUndefined();
		expect(item.text).toMatch(/^对话摘要/);
		expect(Object.keys(item).sort()).toEqual(Object.keys(old).sort());
		expect(old.instanceId).toBeUndefined();
	});

	it('under continue-on-fail a failed item still carries its call, with error beside it', async () => {
		const bad = call('bad', { conversation: { sentences: [{ role: 'customer', text: 'hi' }] } });
		const result = await analyze(context, {}, [call('ok'), bad], { ...V11, continueOnFail: true });
		const [ok, failed] = jsonOf(result.items);
		expect((ok.analysis as IDataObject).text).toMatch(/^对话摘要/);
		expect(failed.instanceId).toBe('bad');
		expect(failed.userData).toEqual({ ticket: 'T-bad' });
		expect(String(failed.error)).toContain('has role "customer"');
		expect(failed.analysis).toBeUndefined();
		expect(pairedIndexes(result.items)).toEqual([0, 1]);
		expect(analyzeRequests(context.emulator)).toHaveLength(1);
	});
});

describe('CCAI Analyze 1.1: empty conversations are skipped with a note', () => {
	const context = useEmulator();

	const empties: Array<[string, IDataObject]> = [
		['no sentences', call('e1', { conversation: { sentences: [] } })],
		['only blank sentences', call('e2', { conversation: { sentences: [{ role: 'user', text: '  ' }] } })],
		['no conversation field', { instanceId: 'e3', status: 'Failed', callLogError: 'The call log stayed 404 for 5 polls' }],
		['a null conversation', call('e4', { conversation: null })],
	];

	it('skips each kind of empty item without a request, in order, paired, beside the analyzed ones', async () => {
		const input = [call('first'), ...empties.map(([, item]) => item), call('last')];
		const result = await analyze(context, {}, input, V11);
		expect(result.error('Node')).toBeUndefined();
		const out = jsonOf(result.items);
		expect(out.map((item) => item.instanceId)).toEqual(['first', 'e1', 'e2', 'e3', 'e4', 'last']);
		expect(pairedIndexes(result.items)).toEqual([0, 1, 2, 3, 4, 5]);
		expect(analyzeRequests(context.emulator)).toHaveLength(2);
		for (const item of out.slice(1, 5)) {
			const analysis = item.analysis as IDataObject;
			expect(analysis.skipped).toBe(true);
			expect(analysis.skipReason).toMatch(/^Not analyzed: .*nothing was billed\.$/);
			expect(analysis.result).toBeNull();
			expect(analysis.totalTokens).toBeNull();
		}
		expect((out[1].analysis as IDataObject).skipReason).toContain('no sentence with text');
		expect((out[3].analysis as IDataObject).skipReason).toContain('has no "conversation" field');
		expect(out[3].callLogError).toBe('The call log stayed 404 for 5 polls');
		expect((out[0].analysis as IDataObject).skipped).toBeUndefined();
	});

	it('with Replace Input Item the skipped item is the note itself', async () => {
		const result = await analyze(context, { output: 'replaceInput' }, [empties[0][1]], V11);
		const [item] = jsonOf(result.items);
		expect(item.skipped).toBe(true);
		expect(item.instanceId).toBeUndefined();
		expect(analyzeRequests(context.emulator)).toHaveLength(0);
	});

	it('On Empty Conversation: Fail stops before any call and names the item', async () => {
		const result = await analyze(context, { options: { onEmptyConversation: 'fail' } }, [call('ok'), empties[0][1]], V11);
		const error = result.error('Node');
		expect(error?.message).toContain('Input item 1');
		expect(errorText(error)).toContain('no sentence with text');
		expect(analyzeRequests(context.emulator)).toHaveLength(0);
	});

	it('version 1 still fails on an empty conversation, as before', async () => {
		const result = await analyze(context, {}, [empties[1][1]]);
		expect(result.error('Node')?.message).toContain('Input item 0');
		expect(analyzeRequests(context.emulator)).toHaveLength(0);
	});

	it('malformed conversations still fail: skipping is only for having nothing to analyze', async () => {
		const result = await analyze(context, {}, [call('x', { conversation: { sentences: 'hello' } })], V11);
		expect(errorText(result.error('Node'))).toContain('sentences must be an array');
	});

	it('warns in the output pane when no item has the conversation field (a wrong field name)', async () => {
		const input = [{ instanceId: 'a' }, { instanceId: 'b' }];
		const result = await analyze(context, { conversationField: 'transcript' }, input, V11);
		const task = result.run.data.resultData.runData.Node[0];
		expect(jsonOf(result.items).every((item) => (item.analysis as IDataObject).skipped === true)).toBe(true);
		expect(task.hints?.map((hint) => hint.message)).toEqual([expect.stringContaining('No input item has a "transcript" field')]);

		const mixed = await analyze(context, {}, [{ instanceId: 'a' }, call('b')], V11);
		expect(mixed.run.data.resultData.runData.Node[0].hints ?? []).toEqual([]);
	});
});

describe('CCAI Analyze: versions', () => {
	it('new nodes get 1.1 (add to the item); version 1 nodes keep replacing', () => {
		const { description } = new AlibabaCcaiAnalyze();
		expect(description.version).toEqual([1, 1.1]);
		expect(description.defaultVersion).toBe(1.1);
		const outputs = description.properties.filter((p) => p.name === 'output');
		expect(outputs.map((p) => [p.default, JSON.stringify(p.displayOptions?.show?.['@version'])])).toEqual([
			['replaceInput', '[1]'],
			['addToInput', '[{"_cnd":{"gte":1.1}}]'],
		]);
		expect(description.properties.find((p) => p.name === 'resultField')?.default).toBe('analysis');
	});
});
