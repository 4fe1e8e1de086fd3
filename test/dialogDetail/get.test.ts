import type { IDataObject } from 'n8n-workflow';

import { AlibabaDialogDetail } from '../../nodes/AlibabaDialogDetail/AlibabaDialogDetail.node';
import codex from '../../nodes/AlibabaDialogDetail/AlibabaDialogDetail.node.json';
import { PACKAGE_NAME, runNode } from '../helpers/engine';
import {
	DIANJIN,
	errorText,
	expectNoSecrets,
	jsonOf,
	NODE_TYPE,
	pairedIndexes,
	useEmulator,
} from './setup';

const ctx = useEmulator();

const getParameters = (extra: IDataObject = {}): IDataObject => ({
	operation: 'get',
	workspaceId: DIANJIN.workspaceId,
	sessionId: DIANJIN.completedSessionId,
	...extra,
});

type Sentence = IDataObject & { role: string; text: string };

describe('Alibaba Dialog Detail: description', () => {
	it('can be used as an AI tool, with one main input and output and its codex file', () => {
		const { description } = new AlibabaDialogDetail();
		expect(description.usableAsTool).toBe(true);
		expect(description.inputs).toEqual(['main']);
		expect(description.outputs).toEqual(['main']);
		expect(description.credentials?.map((c) => c.name)).toEqual(['alibabaCloudAccessKeyApi', 'alibabaCloudRamRoleApi']);
		expect(codex.node).toBe(`${PACKAGE_NAME}.${description.name}`);
		const operations = description.properties.find((p) => p.name === 'operation')?.options?.map((o) => (o as { value: string }).value);
		expect(operations).toEqual(['get', 'getAnalysisResult']);
	});
});

describe('Alibaba Dialog Detail: get', () => {
	it('maps a completed session to a conversation with roles, seat types, intents and spoken order', async () => {
		const result = await runNode(NODE_TYPE, getParameters(), { credentials: ctx.credentials });

		expect(result.run.status).toBe('success');
		expect(result.items).toHaveLength(1);
		const json = result.items[0].json;
		expect(json).toMatchObject({
			sessionId: DIANJIN.completedSessionId,
			status: 'COMPLETED',
			gmtCreate: DIANJIN.sessionTimes[DIANJIN.sessionIds.indexOf(DIANJIN.completedSessionId)],
		});
		// Seat and customer alternate over 8 lines and the customer speaks last: 8 turns, 4 question/answer pairs.
		expect(json.totalDialogTurns).toBe(8);
		expect(json.validDialogTurns).toBe(4);
		expect(json).not.toHaveProperty('dialogueList');

		const conversation = json.conversation as IDataObject & { sentences: Sentence[] };
		expect(conversation.source).toBe('dianjin');
		expect(conversation.sessionId).toBe(DIANJIN.completedSessionId);
		// gmtCreate 2025-08-14 09:15:00 is Beijing time (UTC+8).
		expect(conversation.startedAt).toBe('2025-08-14T01:15:00.000Z');

		const sentences = conversation.sentences;
		expect(sentences.map((s) => s.role)).toEqual(['agent', 'user', 'agent', 'user', 'agent', 'user', 'agent', 'user']);
		expect(sentences.filter((s) => s.role === 'agent').map((s) => s.seatType)).toEqual(['bot', 'bot', 'human', 'human']);
		expect(sentences.filter((s) => s.role === 'user').every((s) => s.seatType === undefined)).toBe(true);
		expect(sentences[0].text).toBe('您好，这里是点金智能客服，请问有什么可以帮您？');
		expect(sentences[7].text).toBe('好的，谢谢。');
		expect(sentences[1]).toMatchObject({ intentName: '客户询问基金确认状态', intentCode: '193874634001' });
		expect(sentences[4]).toMatchObject({ seatType: 'human', intentName: '人工查询订单' });
		const ids = sentences.map((s) => s.id as number);
		expect([...ids].sort((a, b) => a - b)).toEqual(ids);

		const [request] = ctx.emulator.requests;
		expect(ctx.emulator.requests).toHaveLength(1);
		expect(request).toMatchObject({
			method: 'GET',
			action: 'GetDialogDetail',
			path: `/${DIANJIN.workspaceId}/api/virtualHuman/dialog/detail`,
			query: { sessionId: DIANJIN.completedSessionId },
			status: 200,
		});
		expect(request.headers['x-acs-version']).toBe(DIANJIN.version);
	});

	it('adds the raw dialogueList when asked, in the same order as the conversation', async () => {
		const result = await runNode(NODE_TYPE, getParameters({ options: { includeDialogueList: true } }), {
			credentials: ctx.credentials,
		});

		const json = result.items[0].json;
		const raw = json.dialogueList as IDataObject[];
		const sentences = (json.conversation as { sentences: Sentence[] }).sentences;
		expect(raw).toHaveLength(8);
		expect(raw[0]).toMatchObject({ role: '1', customerServiceType: '0', customerServiceId: 'BOT', type: 'text' });
		raw.forEach((line, index) => {
			expect(sentences[index].text).toBe(line.content);
			expect(sentences[index].role).toBe(line.role === '0' ? 'user' : 'agent');
			expect(sentences[index].id).toBe(line.id);
			if (line.role === '1') expect(sentences[index].seatType).toBe(line.customerServiceType === '1' ? 'human' : 'bot');
		});
	});

	it('reports a session still in progress with its status and the lines so far', async () => {
		const result = await runNode(NODE_TYPE, getParameters({ sessionId: DIANJIN.processingSessionId }), {
			credentials: ctx.credentials,
		});

		const json = result.items[0].json;
		expect(json.status).toBe('PROCESSING');
		expect(json.sessionId).toBe(DIANJIN.processingSessionId);
		expect((json.conversation as { sentences: Sentence[] }).sentences.map((s) => s.role)).toEqual([
			'agent',
			'user',
			'agent',
		]);
	});

	it('turns a 200 success:false answer into a node error naming errCode and session, without retrying', async () => {
		const result = await runNode(NODE_TYPE, getParameters({ sessionId: DIANJIN.unknownSessionId }), {
			credentials: ctx.stsCredentials,
		});

		expect(result.run.status).toBe('error');
		const error = result.error('Node');
		expect(error).toBeDefined();
		expect(error?.message).toContain('GetDialogDetail');
		expect(error?.message).toContain('DIALOG_NOT_FOUND');
		expect(error?.message).toContain(`session ${DIANJIN.unknownSessionId} in workspace ${DIANJIN.workspaceId}`);
		expect(error?.description).toContain('RequestId');
		expect(ctx.emulator.countCalls('GetDialogDetail')).toBe(1);
		expectNoSecrets(error, errorText(error));
	});

	it('names the workspace when DianJin does not know it', async () => {
		const result = await runNode(NODE_TYPE, getParameters({ workspaceId: 'llm-no-such-workspace' }), {
			credentials: ctx.credentials,
		});

		const message = result.error('Node')?.message ?? '';
		expect(message).toContain('WORKSPACE_NOT_EXIST');
		expect(message).toContain('llm-no-such-workspace');
	});

	it('fails before calling DianJin when the session ID is empty', async () => {
		const result = await runNode(NODE_TYPE, getParameters({ sessionId: '  ' }), { credentials: ctx.credentials });

		expect(result.error('Node')?.message).toBe('Session ID is empty');
		expect(ctx.emulator.requests).toHaveLength(0);
	});

	it('refuses a session ID that arrived as an inexact JSON number', async () => {
		const result = await runNode(NODE_TYPE, getParameters({ sessionId: '={{ $json.id }}' }), {
			credentials: ctx.credentials,
			input: [{ id: 1906623923815534001 }],
		});

		expect(result.error('Node')?.message).toContain('too large to be exact');
		expect(ctx.emulator.requests).toHaveLength(0);
	});

	it('with continue-on-fail keeps input order and pairing across found, missing and in-progress sessions', async () => {
		// The first request answers last, so input order must come from the node, not from arrival.
		ctx.emulator.addFault({ kind: 'latency', latencyMs: 150, match: { action: 'GetDialogDetail' }, times: 1 });
		const sessions = [
			DIANJIN.completedSessionId,
			DIANJIN.unknownSessionId,
			DIANJIN.processingSessionId,
			DIANJIN.sessionIds[0],
		];
		const result = await runNode(
			NODE_TYPE,
			getParameters({ sessionId: '={{ $json.sid }}', options: { concurrency: 4 } }),
			{ credentials: ctx.credentials, continueOnFail: true, input: sessions.map((sid) => ({ sid })) },
		);

		expect(result.run.status).toBe('success');
		const items = result.items;
		expect(items).toHaveLength(4);
		expect(pairedIndexes(items)).toEqual([0, 1, 2, 3]);
		const json = jsonOf(items);
		expect(json.map((j) => j.sessionId ?? null)).toEqual([sessions[0], null, sessions[2], sessions[3]]);
		expect(json.map((j) => j.status ?? null)).toEqual(['COMPLETED', null, 'PROCESSING', 'COMPLETED']);
		expect(String(json[1].error)).toContain('DIALOG_NOT_FOUND');
		expect(String(json[1].error)).toContain(DIANJIN.unknownSessionId);
		expect(ctx.emulator.countCalls('GetDialogDetail')).toBe(4);
		expectNoSecrets(json);
	});

	it('reads sessions in parallel up to Concurrency, and one by one with Concurrency 1', async () => {
		const input = DIANJIN.sessionIds.slice(0, 3).map((sid) => ({ sid }));
		const delay = 300;
		// Only the first request is slow; the others can only arrive before it ends if they run beside it.
		ctx.emulator.addFault({ kind: 'latency', latencyMs: delay, match: { action: 'GetDialogDetail' }, times: 1 });
		await runNode(NODE_TYPE, getParameters({ sessionId: '={{ $json.sid }}', options: { concurrency: 3 } }), {
			credentials: ctx.credentials,
			input,
		});
		const parallel = ctx.emulator.requests.map((r) => r.at);
		expect(parallel).toHaveLength(3);
		expect(Math.max(...parallel) - parallel[0]).toBeLessThan(delay);

		ctx.emulator.reset();
		ctx.emulator.addFault({ kind: 'latency', latencyMs: delay, match: { action: 'GetDialogDetail' }, times: 1 });
		await runNode(NODE_TYPE, getParameters({ sessionId: '={{ $json.sid }}', options: { concurrency: 1 } }), {
			credentials: ctx.credentials,
			input,
		});
		const serial = ctx.emulator.requests.map((r) => r.at);
		expect(serial[1] - serial[0]).toBeGreaterThanOrEqual(delay);
	});

	it('stops at the first failing item without continue-on-fail and names that item', async () => {
		const result = await runNode(NODE_TYPE, getParameters({ sessionId: '={{ $json.sid }}' }), {
			credentials: ctx.credentials,
			input: [{ sid: DIANJIN.completedSessionId }, { sid: DIANJIN.unknownSessionId }],
		});

		const error = result.error('Node');
		expect(error?.message).toContain(DIANJIN.unknownSessionId);
		expect(error?.context?.itemIndex).toBe(1);
	});
});
