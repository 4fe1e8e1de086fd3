import { ACTION, analyze, analyzeRequests, bodies, CCAI, iceConversation, jsonOf, useEmulator } from './setup';

const SENTENCES = [
	{ role: 'user', text: '我的手机号是13812345678，想投诉快递太慢' },
	{ role: 'agent', text: '抱歉，马上为您处理' },
];

describe('CCAI Analyze: request body', () => {
	const context = useEmulator();

	it('defaults: POST to the app path, stream false, resultTypes [summary], nothing else', async () => {
		const result = await analyze(context, {}, [{ conversation: { sentences: SENTENCES } }]);
		expect(result.error('Node')).toBeUndefined();
		const [request] = analyzeRequests(context.emulator);
		expect(request.method).toBe('POST');
		expect(request.path).toBe(`/${CCAI.workspaceId}/ccai/app/${CCAI.appId}/analyze_conversation`);
		expect(request.headers['x-acs-action']).toBe(ACTION);
		expect(request.headers['x-acs-version']).toBe('2024-06-03');
		expect(request.headers['content-type']).toContain('application/json');
		expect(request.json).toEqual({ stream: false, resultTypes: ['summary'], dialogue: { sentences: SENTENCES } });
	});

	it('maps every option into the body with the API\'s exact keys', async () => {
		const result = await analyze(
			context,
			{
				resultTypes: ['fields', 'service_inspection', 'category_tag', 'user_profile', 'custom_prompt', 'summary'],
				fieldsToExtract: {
					field: [
						{
							name: '来电原因',
							code: 'reason',
							description: '客户来电的原因分类',
							enumValues: {
								enumValue: [
									{ value: '投诉', description: '客户表达不满' },
									{ value: '咨询', description: '客户询问信息' },
								],
							},
						},
						{ name: '手机号', code: '', description: '客户的手机号码' },
					],
				},
				inspectionScene: '快递客服场景',
				inspectionIntroduction: '检测客服是否存在服务不当的行为',
				inspectionDimensions: {
					dimension: [
						{ title: '客服是否过度承诺', content: '承诺无法保证的到货时间' },
						{ title: '是否套取隐私', content: '询问与业务无关的隐私' },
					],
				},
				categoryTags: {
					tag: [
						{ name: '物流', description: '与配送相关' },
						{ name: '账单', description: '与费用相关' },
					],
				},
				userProfiles: { profile: [{ name: 'sex', value: '男/女' }, { name: 'city', value: '' }] },
				customPrompt: '客户最关心什么？',
				examples: {
					example: [
						{
							output: '问题描述：询问更新时间 处理方案：已告知',
							sentences: {
								sentence: [
									{ role: 'user', text: '什么时候更新', chatId: 'chat-01' },
									{ role: 'agent', text: '下周二', chatId: '' },
								],
							},
						},
					],
				},
				options: {
					modelCode: 'tyxmPlus',
					sceneName: '阿里云工单质检场景',
					responseFormatType: 'json',
					timeConstraintList: ['2025-08-14', '2025-08-15'],
					sourceCallerUid: '1234567890',
					sessionId: 'session-01',
				},
			},
			[{ conversation: { sentences: SENTENCES } }],
		);
		expect(result.error('Node')).toBeUndefined();
		expect(bodies(context.emulator)[0]).toEqual({
			stream: false,
			resultTypes: ['fields', 'service_inspection', 'category_tag', 'user_profile', 'custom_prompt', 'summary'],
			dialogue: { sentences: SENTENCES, sessionId: 'session-01' },
			examples: [
				{
					output: '问题描述：询问更新时间 处理方案：已告知',
					sentences: [
						{ chatId: 'chat-01', role: 'user', text: '什么时候更新' },
						{ role: 'agent', text: '下周二' },
					],
				},
			],
			fields: [
				{
					name: '来电原因',
					desc: '客户来电的原因分类',
					code: 'reason',
					enumValues: [
						{ enumValue: '投诉', desc: '客户表达不满' },
						{ enumValue: '咨询', desc: '客户询问信息' },
					],
				},
				{ name: '手机号', desc: '客户的手机号码' },
			],
			modelCode: 'tyxmPlus',
			sceneName: '阿里云工单质检场景',
			serviceInspection: {
				sceneIntroduction: '快递客服场景',
				inspectionIntroduction: '检测客服是否存在服务不当的行为',
				inspectionContents: [
					{ title: '客服是否过度承诺', content: '承诺无法保证的到货时间' },
					{ title: '是否套取隐私', content: '询问与业务无关的隐私' },
				],
			},
			categoryTags: [
				{ tagName: '物流', tagDesc: '与配送相关' },
				{ tagName: '账单', tagDesc: '与费用相关' },
			],
			userProfiles: [
				{ name: 'sex', value: '男/女' },
				{ name: 'city' },
			],
			customPrompt: '客户最关心什么？',
			responseFormatType: 'json',
			timeConstraintList: ['2025-08-14', '2025-08-15'],
			sourceCallerUid: '1234567890',
		});
		// The emulator answers from the body: the fields and the option note prove the service read them.
		const parsed = jsonOf(result.items)[0].result as Record<string, unknown>;
		expect(parsed.fields).toEqual({ 来电原因: expect.stringMatching(/^(投诉|咨询)$/), 手机号: '13812345678' });
		expect(parsed.summary).toContain('model=tyxmPlus; scene=阿里云工单质检场景');
		expect(parsed.category_tag).toEqual(['物流']);
		expect(parsed.user_profile).toEqual({ sex: '男/女', city: '未知' });
	});

	it('sends all 17 result types when all are selected, each one accepted by the service', async () => {
		const result = await analyze(
			context,
			{
				resultTypes: [...CCAI.resultTypes],
				fieldsToExtract: { field: [{ name: '来电原因', description: '客户来电的原因' }] },
				inspectionScene: '快递客服场景',
				inspectionIntroduction: '检测客服是否存在服务不当的行为',
				inspectionDimensions: { dimension: [{ title: '客服是否过度承诺', content: '承诺无法保证的到货时间' }] },
				categoryTags: { tag: [{ name: '物流', description: '与配送相关' }] },
				userProfiles: { profile: [{ name: 'sex', value: '男/女' }] },
				customPrompt: '客户最关心什么？',
			},
			[{ conversation: iceConversation() }],
		);
		expect(result.error('Node')).toBeUndefined();
		expect(bodies(context.emulator)[0].resultTypes).toEqual(CCAI.resultTypes);
		expect(Object.keys(jsonOf(result.items)[0].result as object).sort()).toEqual([...CCAI.resultTypes].sort());
	});

	it('leaves out empty optional parts: blank rows, empty strings, empty lists', async () => {
		const result = await analyze(
			context,
			{
				resultTypes: ['summary', 'keywords'],
				examples: { example: [{ output: '', sentences: {} }] },
				options: { sceneName: '', responseFormatType: '', timeConstraintList: [], sourceCallerUid: '', sessionId: '' },
			},
			[{ conversation: { sentences: SENTENCES } }],
		);
		expect(result.error('Node')).toBeUndefined();
		expect(bodies(context.emulator)[0]).toEqual({
			stream: false,
			resultTypes: ['summary', 'keywords'],
			dialogue: { sentences: SENTENCES },
		});
	});

	it('sends the parameters of each item (expressions resolve per item)', async () => {
		await analyze(
			context,
			{
				resultTypes: ['custom_prompt'],
				customPrompt: '={{ $json.question }}',
				options: { sceneName: '={{ $json.scene }}' },
			},
			[
				{ conversation: { sentences: SENTENCES }, question: '问题一', scene: '场景一' },
				{ conversation: { sentences: SENTENCES }, question: '问题二', scene: '场景二' },
			],
		);
		expect(bodies(context.emulator).map((body) => [body.customPrompt, body.sceneName])).toEqual([
			['问题一', '场景一'],
			['问题二', '场景二'],
		]);
	});
});
