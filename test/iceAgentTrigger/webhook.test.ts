import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { IDataObject } from 'n8n-workflow';

import { AlibabaIceAgentTrigger } from '../../nodes/AlibabaIceAgentTrigger/AlibabaIceAgentTrigger.node';
import { callWebhook, N8nRejectsBodyError, type WebhookRequest } from '../helpers/webhook';
import { AGENT_ID, agentStop, audioRecord, chatRecord, INSTANCE_ID, TOKEN } from './payloads';

const TYPE = 'alibabaIceAgentTrigger';
const CREDENTIALS = { alibabaIceAgentCallbackApi: { token: TOKEN } };

/** The trigger with a token credential, as the example workflow sets it up. */
async function post(request: WebhookRequest, parameters: IDataObject = {}) {
	return await callWebhook({ type: TYPE, parameters, credentials: CREDENTIALS, request });
}

const withToken = (value: string) => ({ authorization: value });

/** n8n's logger, as the node's `this.logger` reaches it; replaced to keep output quiet and checkable. */
let warn: jest.SpyInstance;
beforeEach(() => {
	warn = jest.spyOn(Container.get(Logger), 'warn').mockImplementation(() => {});
});
afterEach(() => jest.restoreAllMocks());

describe('Alibaba ICE Agent Trigger: authentication', () => {
	it('accepts the raw token in the Authorization header', async () => {
		const call = await post({ headers: withToken(TOKEN), json: agentStop() });
		expect(call.response.statusCode).toBe(200);
		expect(call.items).toHaveLength(1);
	});

	it('accepts "Bearer <token>"', async () => {
		const call = await post({ headers: withToken(`Bearer ${TOKEN}`), json: agentStop() });
		expect(call.response.statusCode).toBe(200);
		expect(call.items).toHaveLength(1);
	});

	it('answers 401 and starts nothing without the header', async () => {
		const call = await post({ json: agentStop() });
		expect(call.response.statusCode).toBe(401);
		expect(call.response.body).toEqual({ error: expect.stringMatching(/Authorization header/) });
		expect(call.response.headers['www-authenticate']).toBe('Bearer');
		expect(call.result.workflowData).toBeUndefined();
		expect(call.result.noWebhookResponse).toBe(true);
	});

	it('answers 401 and starts nothing with a wrong token, raw or Bearer', async () => {
		for (const header of ['wrong-token', `Bearer ${TOKEN}x`, `Basic ${TOKEN}`]) {
			const call = await post({ headers: withToken(header), json: agentStop() });
			expect(call.response.statusCode).toBe(401);
			expect(call.result.workflowData).toBeUndefined();
		}
	});

	it('logs the rejection for the operator, without either token, and never echoes the token', async () => {
		const call = await post({ headers: withToken('sent-but-wrong'), json: agentStop() });
		expect(JSON.stringify(call.response.body)).not.toContain(TOKEN);
		expect(warn).toHaveBeenCalledWith(expect.stringMatching(/rejected a callback.*401/));
		const logged = JSON.stringify(warn.mock.calls);
		expect(logged).not.toContain(TOKEN);
		expect(logged).not.toContain('sent-but-wrong');
	});

	it('checks the token before reading the body, so an unauthenticated caller learns nothing about it', async () => {
		const call = await post({ headers: withToken('nope'), raw: '{not json', contentType: 'text/plain' });
		expect(call.response.statusCode).toBe(401);
	});

	it('fails closed (401) when the credential holds an empty token', async () => {
		const call = await callWebhook({
			type: TYPE,
			credentials: { alibabaIceAgentCallbackApi: { token: '' } },
			request: { json: agentStop() },
		});
		expect(call.response.statusCode).toBe(401);
		expect(call.result.workflowData).toBeUndefined();
	});

	it('accepts every caller when Authentication is None', async () => {
		const call = await callWebhook({ type: TYPE, parameters: { authentication: 'none' }, request: { json: agentStop() } });
		expect(call.response.statusCode).toBe(200);
		expect(call.items).toHaveLength(1);
	});
});

describe('Alibaba ICE Agent Trigger: event filter', () => {
	it('acknowledges a filtered-out event with 200 and starts nothing', async () => {
		const call = await post({ headers: withToken(TOKEN), json: chatRecord() }, { events: ['agent_stop'] });
		expect(call.response.statusCode).toBe(200);
		expect(call.response.body).toMatchObject({ received: true, event: 'chat_record', started: false });
		expect(call.result.workflowData).toBeUndefined();
	});

	it('starts the workflow for a selected event', async () => {
		const call = await post({ headers: withToken(TOKEN), json: agentStop() }, { events: ['agent_stop', 'error'] });
		expect(call.response.body).toMatchObject({ received: true, event: 'agent_stop', started: true });
		expect(call.items.map((item) => item.json.event)).toEqual(['agent_stop']);
	});

	it('starts on any event, including ones not in the list, when no filter is set', async () => {
		const call = await post({ headers: withToken(TOKEN), json: agentStop({ event: 'hangup_intent_detected' }) });
		expect(call.items.map((item) => item.json.event)).toEqual(['hangup_intent_detected']);
	});
});

describe('Alibaba ICE Agent Trigger: bad bodies', () => {
	it('answers 400 with a clear message for malformed JSON and starts nothing', async () => {
		const call = await post({ headers: withToken(TOKEN), raw: '{"event": "agent_stop", ', contentType: 'text/plain' });
		expect(call.response.statusCode).toBe(400);
		expect(call.response.body).toEqual({ error: expect.stringMatching(/^The callback body is not valid JSON\. Expected a JSON object/) });
		expect(call.result.workflowData).toBeUndefined();
	});

	it('parses a JSON body sent without a content type', async () => {
		const call = await post({ headers: withToken(TOKEN), raw: JSON.stringify(agentStop()) });
		expect(call.response.statusCode).toBe(200);
		expect(call.items[0].json.instanceId).toBe(INSTANCE_ID);
	});

	it('documents that n8n itself rejects malformed application/json (422) before the node runs', async () => {
		await expect(
			post({ headers: withToken(TOKEN), raw: '{"event": ', contentType: 'application/json' }),
		).rejects.toBeInstanceOf(N8nRejectsBodyError);
	});

	it('answers 400 for a body above Max Body Size and starts nothing', async () => {
		const big = agentStop({ data: { padding: 'x'.repeat(3 * 1024) } });
		const call = await post({ headers: withToken(TOKEN), json: big }, { options: { maxBodySize: 2 } });
		expect(call.response.statusCode).toBe(400);
		expect(call.response.body).toEqual({ error: expect.stringMatching(/4 KB, above the 2 KB limit.*Max Body Size/) });
		expect(call.result.workflowData).toBeUndefined();
	});

	it('applies the 1024 KB default limit', async () => {
		const justBelow = agentStop({ data: { padding: 'x'.repeat(1000 * 1024) } });
		expect((await post({ headers: withToken(TOKEN), json: justBelow })).response.statusCode).toBe(200);
		const above = agentStop({ data: { padding: 'x'.repeat(1025 * 1024) } });
		expect((await post({ headers: withToken(TOKEN), json: above })).response.statusCode).toBe(400);
	});

	it.each([
		['an empty body', { raw: '' }, /empty/],
		['a JSON array', { json: [agentStop()] }, /not an object/],
		['no event field', { json: { aiAgentId: AGENT_ID, instanceId: INSTANCE_ID, data: {} } }, /no "event" field/],
		['an empty event', { json: agentStop({ event: '' }) }, /no "event" field/],
	])('answers 400 for %s', async (_name, request, message) => {
		const call = await post({ headers: withToken(TOKEN), ...(request as WebhookRequest) });
		expect(call.response.statusCode).toBe(400);
		expect(call.response.body).toEqual({ error: expect.stringMatching(message) });
		expect(call.result.workflowData).toBeUndefined();
	});
});

describe('Alibaba ICE Agent Trigger: response timing', () => {
	it('declares responseMode onReceived on a POST webhook at path ice-agent', () => {
		expect(new AlibabaIceAgentTrigger().description.webhooks).toEqual([
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'ice-agent' },
		]);
	});

	it('has answered 200 before webhook() returns, so the execution never holds the response', async () => {
		const call = await post({ headers: withToken(TOKEN), json: chatRecord() });
		expect(call.answeredBeforeReturn).toBe(true);
		expect(call.response.statusCode).toBe(200);
		expect(call.response.body).toEqual({ received: true, event: 'chat_record', started: true });
		// n8n must not answer a second time once the execution is started.
		expect(call.result.noWebhookResponse).toBe(true);
		expect(call.items).toHaveLength(1);
	});
});

describe('Alibaba ICE Agent Trigger: output item', () => {
	it('emits the envelope, an ISO receivedAt and data as received', async () => {
		const before = Date.now();
		const payload = agentStop();
		const call = await post({ headers: withToken(TOKEN), json: payload });
		const [item] = call.items;
		expect(item.json).toEqual({
			event: 'agent_stop',
			instanceId: INSTANCE_ID,
			aiAgentId: AGENT_ID,
			receivedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
			deliveryKey: expect.stringMatching(new RegExp(`^agent_stop:${INSTANCE_ID}:sha256=[0-9a-f]{32}$`)),
			data: payload.data,
		});
		expect(Date.parse(item.json.receivedAt as string)).toBeGreaterThanOrEqual(before - 1);
		expect(item.pairedItem).toEqual({ item: 0 });
	});

	it('takes the conversation\'s sessionId from the callback\'s own sessionId, never from instanceId', async () => {
		const payload = chatRecord();
		const call = await post({ headers: withToken(TOKEN), json: { ...payload, data: { ...payload.data, sessionId: 'sess-77' } } });
		expect(call.items[0].json.conversation).toMatchObject({ sessionId: 'sess-77', instanceId: INSTANCE_ID });
	});

	it('keeps unknown fields, at the top level and inside data', async () => {
		const payload = { ...chatRecord(), requestId: 'req-1', extenddData: { k: 'v' } };
		const call = await post({ headers: withToken(TOKEN), json: payload });
		const { json } = call.items[0];
		expect(json.requestId).toBe('req-1');
		expect(json.extenddData).toEqual({ k: 'v' });
		expect(json.data).toEqual(payload.data);
		expect((json.data as IDataObject).extenddData).toEqual({ channel: 'app' });
	});

	it('sets instanceId and aiAgentId to null when the callback lacks them', async () => {
		const call = await post({ headers: withToken(TOKEN), json: { event: 'error', data: { code: 'X' } } });
		expect(call.items[0].json).toMatchObject({ event: 'error', instanceId: null, aiAgentId: null, data: { code: 'X' } });
	});

	it('adds the conversation of a chat_record in spoken order, in the shared shape', async () => {
		const call = await post({ headers: withToken(TOKEN), json: chatRecord() });
		const conversation = call.items[0].json.conversation as IDataObject;
		expect(conversation).toMatchObject({ source: 'ice', instanceId: INSTANCE_ID, startedAt: new Date(1755138076000).toISOString() });
		// The instance id is not the session id (ICE keeps a separate SessionId); the callback names none.
		expect(conversation).not.toHaveProperty('sessionId');
		expect(conversation.sentences).toEqual([
			expect.objectContaining({ role: 'agent', text: '哈喽，我是小云。', type: 'greeting', id: 'd2', roundId: 'r1' }),
			expect.objectContaining({ role: 'user', text: '讲个有趣的儿童故事。', id: 'd3' }),
			expect.objectContaining({ role: 'agent', text: '从前，有一只小狐狸。', id: 'd4' }),
		]);
	});

	it('reads a chat_record whose data arrives as a JSON string, and keeps data as that string', async () => {
		const payload = chatRecord();
		const asString = { ...payload, data: JSON.stringify(payload.data) };
		const call = await post({ headers: withToken(TOKEN), json: asString });
		const { json } = call.items[0];
		expect(json.data).toBe(asString.data);
		expect(((json.conversation as IDataObject).sentences as IDataObject[]).map((s) => s.text)).toEqual([
			'哈喽，我是小云。',
			'讲个有趣的儿童故事。',
			'从前，有一只小狐狸。',
		]);
	});

	it('reads a chat_record holding a single dialogue (PascalCase) as one sentence', async () => {
		const payload = { ...agentStop(), event: 'chat_record', data: { Producer: 'user', Text: '你好', Time: 1755138077000 } };
		const call = await post({ headers: withToken(TOKEN), json: payload });
		expect((call.items[0].json.conversation as IDataObject).sentences).toEqual([
			expect.objectContaining({ role: 'user', text: '你好' }),
		]);
	});

	it.each(['user', 'agent'] as const)('adds role, text and audio for an audio_record of the %s', async (role) => {
		const payload = audioRecord(role);
		const call = await post({ headers: withToken(TOKEN), json: payload });
		const { json } = call.items[0];
		expect(json.role).toBe(role);
		expect(json.text).toBe(payload.data.text);
		expect(json.audio).toBe(payload.data.audioUrl);
		expect(json.data).toEqual(payload.data);
		expect(json.conversation).toBeUndefined();
	});

	it('finds audio_record fields under their other likely names', async () => {
		const data = { Producer: 'Agent', asrText: '好的', ossUrl: 'https://bucket.oss-cn-shanghai.aliyuncs.com/a.mp3' };
		const call = await post({ headers: withToken(TOKEN), json: { ...agentStop(), event: 'audio_record', data } });
		expect(call.items[0].json).toMatchObject({ role: 'agent', text: '好的', audio: data.ossUrl, data });
	});

	it('adds no role, text or audio that the audio_record does not carry', async () => {
		const call = await post({ headers: withToken(TOKEN), json: { ...agentStop(), event: 'audio_record', data: { seq: 1 } } });
		const { json } = call.items[0];
		expect(Object.keys(json)).not.toEqual(expect.arrayContaining(['role']));
		expect(json).not.toHaveProperty('text');
		expect(json).not.toHaveProperty('audio');
		expect(json.data).toEqual({ seq: 1 });
	});

	it('adds the audio reference of a full_audio_record', async () => {
		const data = { url: 'https://bucket.oss-cn-shanghai.aliyuncs.com/full.wav', duration: 93 };
		const call = await post({ headers: withToken(TOKEN), json: { ...agentStop(), event: 'full_audio_record', data } });
		expect(call.items[0].json).toMatchObject({ audio: data.url, data });
		expect(call.items[0].json).not.toHaveProperty('role');
	});
});
