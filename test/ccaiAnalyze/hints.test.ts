import type { IDataObject } from 'n8n-workflow';

import { analyze, analyzeRequests, CCAI, errorText, useEmulator } from './setup';

const GOOD = { conversation: { sentences: [{ role: 'user', text: '我要投诉，快递三天没到' }, { role: 'agent', text: '抱歉' }] } };

/**
 * The hint under an error sends the user to the field that is wrong: a workspace or app the
 * key cannot see is almost always a typo in the node, not a missing RAM policy.
 */
describe('CCAI Analyze: hints that point at the right place', () => {
	const context = useEmulator();

	it.each([
		['a workspace that is not the key\'s (CCAI.TenantPermission.NoAuth)', { workspaceId: 'llm-typo0ccai0ws01' }, 'CCAI.TenantPermission.NoAuth'],
		['an app that does not exist (CCAI.IllegalPermission.NoAuth)', { appId: 'a070a49c681f4a95a0f0e0000000099x' }, 'CCAI.IllegalPermission.NoAuth'],
	])('%s: check the Workspace ID / App ID, with the console link, and no RAM', async (_name, parameters, code) => {
		const result = await analyze(context, parameters, [GOOD]);
		const error = result.error('Node');
		expect(error?.message).toContain(code);
		const description = String((error as { description?: string }).description);
		expect(description).toMatch(/^Check the Workspace ID and App ID in the node/);
		expect(description).toContain('https://bailian.console.aliyun.com/');
		expect(description).not.toMatch(/RAM/);
		expect(analyzeRequests(context.emulator)).toHaveLength(1);
	});

	it('a real RAM denial still says RAM', async () => {
		context.emulator.addFault({ kind: 'forbidden' });
		const result = await analyze(context, {}, [GOOD]);
		const error = result.error('Node');
		expect(error?.message).toContain('Forbidden.RAM');
		expect(String((error as { description?: string }).description)).toMatch(/RAM user behind this AccessKey lacks permission/);
	});
});

describe('CCAI Analyze: a result type with an empty form fails before any call', () => {
	const context = useEmulator();

	async function expectFormError(parameters: IDataObject, ...parts: string[]) {
		const result = await analyze(context, parameters, [GOOD, GOOD]);
		const error = result.error('Node');
		expect(error).toBeDefined();
		const text = errorText(error);
		for (const part of parts) expect(text).toContain(part);
		expect(text).toContain('Nothing was sent to ContactCenterAI');
		// Checked before the first call: no item was sent, so nothing was billed.
		expect(analyzeRequests(context.emulator)).toHaveLength(0);
	}

	it('"Fields" with no field to extract (it used to answer "fields": {})', async () => {
		await expectFormError({ resultTypes: ['summary', 'fields'] }, 'Input item 0', 'Result type "Fields" needs its form', 'Fields to Extract');
	});

	it('"Category Tag", "User Profile" and "Custom Prompt" with their forms empty', async () => {
		await expectFormError({ resultTypes: ['category_tag'], categoryTags: { tag: [{ name: ' ', description: '' }] } }, '"Category Tag"', 'Category Tags');
		await expectFormError({ resultTypes: ['user_profile'], userProfiles: {} }, '"User Profile"', 'under User Profile');
		await expectFormError({ resultTypes: ['custom_prompt'], customPrompt: '   ' }, '"Custom Prompt"', 'fill in Custom Prompt');
	});

	it('"Service Inspection" names each missing part', async () => {
		await expectFormError({ resultTypes: ['service_inspection'] }, 'Inspection Scene, Inspection Introduction, at least one of Inspection Dimensions');
		await expectFormError(
			{ resultTypes: ['service_inspection'], inspectionScene: '快递客服', inspectionIntroduction: '检测服务' },
			'fill in at least one of Inspection Dimensions',
		);
	});

	it('with continue-on-fail the item becomes an error item, and the item whose form comes from an expression still runs', async () => {
		const result = await analyze(
			context,
			{ resultTypes: ['custom_prompt'], customPrompt: '={{ $json.question }}' },
			[{ ...GOOD, question: '客户最关心什么？' }, { ...GOOD, question: '' }],
			{ continueOnFail: true },
		);
		const items = result.items.map((item) => item.json);
		expect(items[0].error).toBeUndefined();
		expect(String(items[1].error)).toContain('Result type "Custom Prompt" needs its form');
		expect(analyzeRequests(context.emulator).map((request) => (request.json as IDataObject).customPrompt)).toEqual(['客户最关心什么？']);
	});

	it('a complete form is sent', async () => {
		const result = await analyze(context, { resultTypes: ['fields'], fieldsToExtract: { field: [{ name: '手机号', description: '客户的手机号码' }] } }, [GOOD]);
		expect(result.error('Node')).toBeUndefined();
		expect((analyzeRequests(context.emulator)[0].json as IDataObject).fields).toEqual([{ name: '手机号', desc: '客户的手机号码' }]);
		expect(CCAI.resultTypes).toContain('fields');
	});
});
