import type { IDataObject } from 'n8n-workflow';

import {
	analyze,
	analyzeRequests,
	CCAI,
	errorText,
	iceConversation,
	jsonOf,
	pairedIndexes,
	SECRETS,
	useEmulator,
} from './setup';

const GOOD = { conversation: { sentences: [{ role: 'user', text: '你好' }] } };

describe('CCAI Analyze: validation before any call, continue-on-fail, secrets', () => {
	const context = useEmulator();

	async function expectItemError(input: IDataObject[], parameters: IDataObject, itemIndex: number, ...parts: string[]) {
		const result = await analyze(context, parameters, input);
		const error = result.error('Node');
		expect(error).toBeDefined();
		const text = errorText(error);
		expect(error?.message).toContain(`Input item ${itemIndex}`);
		for (const part of parts) expect(text).toContain(part);
		expect((error?.context as IDataObject | undefined)?.itemIndex).toBe(itemIndex);
		// The bad item stops the batch before anything is sent, even for the good items before it.
		expect(analyzeRequests(context.emulator)).toHaveLength(0);
		return error;
	}

	it('a missing conversation field', async () => {
		await expectItemError([GOOD, { other: 1 }], {}, 1, 'has no "conversation" field', 'Alibaba ICE Archive');
	});

	it('an empty conversation, or one with only blank sentences', async () => {
		await expectItemError([{ conversation: { sentences: [] } }], {}, 0, 'is empty');
		await expectItemError([GOOD, GOOD, { conversation: { sentences: [{ role: 'user', text: '  ' }] } }], {}, 2, 'is empty');
		await expectItemError([{ conversation: { sessionId: 'x' } }], {}, 0, 'has no sentences');
	});

	it('no manual rows, and JSON that is not JSON', async () => {
		await expectItemError([{}], { dialogueSource: 'manual', manualDialogue: {} }, 0, 'Sentences is empty');
		await expectItemError([{}], { dialogueSource: 'json', dialogueJson: '[{"role":"user",' }, 0, 'Dialogue (JSON) is not valid JSON');
	});

	it('a role outside user/agent/system names the sentence and the role', async () => {
		const conversation = { sentences: [{ role: 'user', text: 'a' }, { role: 'agent', text: 'b' }, { role: 'customer', text: 'c' }] };
		await expectItemError(
			[GOOD, { conversation }],
			{},
			1,
			'sentences[2] has role "customer"',
			'"user", "agent" or "system"',
			'ICE Archive and Alibaba Dialog Detail already use these roles',
		);
	});

	it('a sentence without text', async () => {
		await expectItemError([{ conversation: [{ role: 'user' }] }], {}, 0, 'sentences[0] has no text');
	});

	it('an over-long dialogue, with the limit in the message; the option raises or removes the limit', async () => {
		const long = { conversation: { sentences: [{ role: 'user', text: '长'.repeat(60001) }] } };
		await expectItemError([long], {}, 0, '60001 characters', 'Max Dialogue Characters (60000)');
		await expectItemError([GOOD], { options: { maxDialogueCharacters: 1 } }, 0, '2 characters', '(1)');

		const unlimited = await analyze(context, { options: { maxDialogueCharacters: 0 } }, [long]);
		expect(unlimited.error('Node')).toBeUndefined();
		expect(analyzeRequests(context.emulator)).toHaveLength(1);
	});

	it('an enum value row without a value', async () => {
		await expectItemError(
			[GOOD],
			{ resultTypes: ['fields'], fieldsToExtract: { field: [{ name: '手机号', description: 'd', enumValues: { enumValue: [{ value: '', description: 'x' }] } }] } },
			0,
			'enum value 1 of field "手机号" has no value',
		);
	});

	it('with continue-on-fail, bad items become error items and the others still run, in order', async () => {
		const input = [
			{ conversation: iceConversation('first') },
			{ conversation: { sentences: [{ role: 'bot', text: 'x' }] } },
			{},
			{ conversation: iceConversation('last') },
		];
		const result = await analyze(context, {}, input, { continueOnFail: true });
		expect(result.error('Node')).toBeUndefined();
		const items = jsonOf(result.items);
		expect(items).toHaveLength(4);
		expect(items[0].sessionId).toBe('first');
		expect(String(items[1].error)).toContain('sentences[0] has role "bot"');
		expect(String(items[2].error)).toContain('has no "conversation" field');
		expect(items[3].sessionId).toBe('last');
		expect(pairedIndexes(result.items)).toEqual([0, 1, 2, 3]);
		// Only the two valid items were sent.
		expect(analyzeRequests(context.emulator).map((request) => (request.json as { dialogue: { sessionId: string } }).dialogue.sessionId)).toEqual([
			'first',
			'last',
		]);
	});

	it('an API error fails its item with the code, and continue-on-fail keeps the rest', async () => {
		const result = await analyze(
			context,
			{ appId: '={{ $json.app }}' },
			[
				{ ...GOOD, app: CCAI.appId },
				{ ...GOOD, app: 'not-my-app' },
			],
			{ continueOnFail: true },
		);
		const items = jsonOf(result.items);
		expect(items[0].finishReason).toBe('stop');
		expect(String(items[1].error)).toContain('CCAI.IllegalPermission.NoAuth');
	});

	it('never puts the AccessKey secret or STS token into errors or output', async () => {
		const ram = await analyze(context, { workspaceId: 'llm-not-mine' }, [GOOD]);
		expect(ram.error('Node')?.message).toContain('CCAI.TenantPermission.NoAuth');
		expect(ram.error('Node')?.description).toContain('Check the Workspace ID and App ID');

		context.emulator.addFault({ kind: 'echoSecrets' });
		const sts = await analyze(context, {}, [GOOD], { credentials: context.stsCredentials });
		const stsError = sts.error('Node');
		expect(stsError?.message).toContain('InvalidParameter');
		// The service did echo the secrets; the node replaced them.
		expect(stsError?.message).toContain('***');

		const ok = await analyze(context, {}, [GOOD], { credentials: context.stsCredentials });
		for (const text of [errorText(ram.error('Node')), errorText(stsError), JSON.stringify(stsError), JSON.stringify(jsonOf(ok.items))]) {
			for (const secret of SECRETS) expect(text).not.toContain(secret);
		}
	});
});
