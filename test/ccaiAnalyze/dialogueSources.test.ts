import { analyze, bodies, dianjinConversation, iceConversation, jsonOf, useEmulator } from './setup';

describe('CCAI Analyze: dialogue sources', () => {
	const context = useEmulator();

	it('reads the input item\'s conversation (ICE Archive shape) and sends its sessionId', async () => {
		const conversation = iceConversation('ice-session-42');
		const result = await analyze(context, {}, [{ conversation }]);
		expect(result.error('Node')).toBeUndefined();
		const [body] = bodies(context.emulator);
		expect(body.dialogue).toEqual({
			sentences: conversation.sentences.map(({ role, text }) => ({ role, text })),
			sessionId: 'ice-session-42',
		});
		// Spoken order from the mapper is kept, and only role/text travel.
		expect((body.dialogue as { sentences: Array<{ role: string }> }).sentences.map((s) => s.role)).toEqual([
			'agent',
			'user',
			'agent',
			'user',
		]);
		expect(jsonOf(result.items)[0].sessionId).toBe('ice-session-42');
		expect(String(jsonOf(result.items)[0].text)).toContain('共4句对话');
	});

	it('reads a Dialog Detail conversation and a nested conversation field', async () => {
		const conversation = dianjinConversation();
		const result = await analyze(context, { conversationField: 'data.conversation' }, [{ data: { conversation } }]);
		expect(result.error('Node')).toBeUndefined();
		const [body] = bodies(context.emulator);
		expect(body.dialogue).toEqual({
			sentences: [
				{ role: 'agent', text: '您好，请问需要办理什么业务？' },
				{ role: 'user', text: '请问怎么申请新卡' },
				{ role: 'agent', text: '您可以在App的卡片页面申请。' },
			],
			sessionId: '1906623923815534001',
		});
	});

	it('accepts a bare sentence array in the conversation field, without sessionId', async () => {
		const result = await analyze(context, {}, [{ conversation: [{ role: 'user', text: '你好' }] }]);
		expect(result.error('Node')).toBeUndefined();
		expect(bodies(context.emulator)[0].dialogue).toEqual({ sentences: [{ role: 'user', text: '你好' }] });
	});

	it('sends manual rows in order, and the Session ID option', async () => {
		const result = await analyze(
			context,
			{
				dialogueSource: 'manual',
				manualDialogue: {
					sentences: [
						{ role: 'agent', text: '您好' },
						{ role: 'user', text: '我想改地址' },
						{ role: 'system', text: '通话转接中' },
					],
				},
				options: { sessionId: 'manual-1' },
			},
			[{}],
		);
		expect(result.error('Node')).toBeUndefined();
		expect(bodies(context.emulator)[0].dialogue).toEqual({
			sentences: [
				{ role: 'agent', text: '您好' },
				{ role: 'user', text: '我想改地址' },
				{ role: 'system', text: '通话转接中' },
			],
			sessionId: 'manual-1',
		});
	});

	it('parses a JSON string dialogue', async () => {
		const result = await analyze(
			context,
			{ dialogueSource: 'json', dialogueJson: '[{"role":"user","text":"查话费"},{"role":"agent","text":"您的话费余额是20元"}]' },
			[{}],
		);
		expect(result.error('Node')).toBeUndefined();
		expect(bodies(context.emulator)[0].dialogue).toEqual({
			sentences: [
				{ role: 'user', text: '查话费' },
				{ role: 'agent', text: '您的话费余额是20元' },
			],
		});
	});

	it('takes an expression that returns an array, per item', async () => {
		const result = await analyze(context, { dialogueSource: 'json', dialogueJson: '={{ $json.messages }}' }, [
			{ messages: [{ role: 'user', text: '第一条' }] },
			{ messages: [{ role: 'agent', text: '第二条' }, { role: 'user', text: '好的' }] },
		]);
		expect(result.error('Node')).toBeUndefined();
		expect(bodies(context.emulator).map((body) => body.dialogue)).toEqual([
			{ sentences: [{ role: 'user', text: '第一条' }] },
			{
				sentences: [
					{ role: 'agent', text: '第二条' },
					{ role: 'user', text: '好的' },
				],
			},
		]);
	});

	it('takes a JSON conversation object and its sessionId; the option overrides that sessionId', async () => {
		const conversation = JSON.stringify({ sessionId: 's-from-json', sentences: [{ role: 'user', text: '你好' }] });
		await analyze(context, { dialogueSource: 'json', dialogueJson: conversation }, [{}]);
		await analyze(context, { dialogueSource: 'json', dialogueJson: conversation, options: { sessionId: 's-option' } }, [{}]);
		expect(bodies(context.emulator).map((body) => (body.dialogue as { sessionId?: string }).sessionId)).toEqual([
			's-from-json',
			's-option',
		]);
	});

	it('drops blank sentences and normalises the case of roles', async () => {
		await analyze(context, {}, [
			{
				conversation: {
					sentences: [
						{ role: 'User', text: '在吗' },
						{ role: 'agent', text: '   ' },
						{ role: ' AGENT ', text: '在的' },
					],
				},
			},
		]);
		expect(bodies(context.emulator)[0].dialogue).toEqual({
			sentences: [
				{ role: 'user', text: '在吗' },
				{ role: 'agent', text: '在的' },
			],
		});
	});
});
