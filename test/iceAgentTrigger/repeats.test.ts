/**
 * Delivery keys, Drop Repeats, the numeric options and what reaches n8n's log, each run through
 * the trigger's webhook() in n8n-core's WebhookContext. Static data is carried from one call to
 * the next as n8n's live webhooks do: loaded from the database for each request and saved after
 * the answer when it changed.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import type { IDataObject } from 'n8n-workflow';

import { triggerClock } from '../../nodes/AlibabaIceAgentTrigger/clock';
import { MEMORY_KEY } from '../../nodes/AlibabaIceAgentTrigger/repeatMemory';
import { activateWebhook, callWebhook, type WebhookCallResult, type WebhookRequest } from '../helpers/webhook';
import { agentStop, chatRecord, INSTANCE_ID, TOKEN } from './payloads';

const TYPE = 'alibabaIceAgentTrigger';
const CREDENTIALS = { alibabaIceAgentCallbackApi: { token: TOKEN } };
const MINUTE = 60_000;
const MARKER = 'PERSONAL-13800138000-MARKER';

/** Everything the node logs through this.logger, at every level (n8n's own turns debug off in tests). */
let logged: unknown[][] = [];
let now = Date.parse('2026-12-02T10:00:00Z');
beforeEach(() => {
	logged = [];
	const record =
		(level: string) =>
		(...args: unknown[]) => {
			logged.push([level, ...args]);
		};
	const recorder = { error: record('error'), warn: record('warn'), info: record('info'), debug: record('debug') };
	const get = Container.get.bind(Container);
	// this.logger in a node context is Container.get(Logger) (n8n-core NodeExecutionContext).
	jest.spyOn(Container, 'get').mockImplementation(((type: unknown) => (type === Logger ? recorder : get(type as never))) as typeof Container.get);
	jest.spyOn(triggerClock, 'now').mockImplementation(() => now);
});
afterEach(() => jest.restoreAllMocks());

/** n8n's database copy of the workflow's static data. */
class SavedStaticData {
	data: IDataObject = {};

	saves = 0;

	async post(request: WebhookRequest, parameters: IDataObject = {}, mode?: 'manual'): Promise<WebhookCallResult> {
		const call = await callWebhook({
			type: TYPE,
			parameters,
			credentials: CREDENTIALS,
			request: { headers: { authorization: TOKEN }, ...request },
			staticData: JSON.parse(JSON.stringify(this.data)) as IDataObject,
			mode,
		});
		if (call.staticDataChanged) {
			this.data = JSON.parse(JSON.stringify(call.staticData)) as IDataObject;
			this.saves++;
		}
		return call;
	}

	remembered(): unknown[] {
		return ((this.data['node:Trigger'] as IDataObject | undefined)?.[MEMORY_KEY] as unknown[] | undefined) ?? [];
	}
}

describe('ICE Agent Trigger: delivery key', () => {
	const keyOf = async (payload: unknown) => {
		const call = await new SavedStaticData().post({ json: payload });
		expect(call.items).toHaveLength(1);
		return call.items[0].json.deliveryKey as string;
	};

	it('uses the callback\'s own id where it has one, else its own timestamp', async () => {
		expect(await keyOf(agentStop({ requestId: 'req-77' }))).toBe(`agent_stop:${INSTANCE_ID}:requestId=req-77`);
		expect(await keyOf(agentStop({ EventId: 'e-1', timestamp: 1 }))).toBe(`agent_stop:${INSTANCE_ID}:EventId=e-1`);
		expect(await keyOf(agentStop({ timestamp: 1764669600123 }))).toBe(`agent_stop:${INSTANCE_ID}:timestamp=1764669600123`);
	});

	it('else hashes event, instance and body; the same callback serialised differently gets the same key', async () => {
		const payload = agentStop();
		const reordered = { data: payload.data, event: payload.event, instanceId: payload.instanceId, aiAgentId: payload.aiAgentId };
		const key = await keyOf(payload);
		expect(key).toMatch(new RegExp(`^agent_stop:${INSTANCE_ID}:sha256=[0-9a-f]{32}$`));
		expect(await keyOf(reordered)).toBe(key);
		expect(await keyOf(agentStop({ data: { reason: 'timeout' } }))).not.toBe(key);
		expect(await keyOf({ event: 'error', data: {} })).toMatch(/^error:-:sha256=/);
	});

	it('ignores ids inside data: two chat records sharing data.requestId are two deliveries', async () => {
		const saved = new SavedStaticData();
		const first = chatRecord();
		const second = { ...first, data: { ...first.data, dialogues: first.data.dialogues.slice(1) } };
		expect(first.data.requestId).toBe(second.data.requestId);
		expect((await saved.post({ json: first })).items).toHaveLength(1);
		expect((await saved.post({ json: second })).items).toHaveLength(1);
	});

	it('hashes an overlong own id, so the key stays short', async () => {
		const key = await keyOf(agentStop({ requestId: 'r'.repeat(5000) }));
		expect(key).toMatch(/:requestId=sha256:[0-9a-f]{32}$/);
	});
});

describe('ICE Agent Trigger: Drop Repeats', () => {
	it('is on by default: a repeat within the window is answered 200, starts nothing and writes nothing', async () => {
		const saved = new SavedStaticData();
		const first = await saved.post({ json: agentStop() });
		expect(first.items).toHaveLength(1);
		expect(saved.saves).toBe(1);

		now += 59 * MINUTE;
		const repeat = await saved.post({ json: agentStop() });
		expect(repeat.response.statusCode).toBe(200);
		expect(repeat.response.body).toEqual({ received: true, event: 'agent_stop', started: false, repeat: true });
		expect(repeat.result).toEqual({ noWebhookResponse: true });
		expect(repeat.staticDataChanged).toBe(false);
		expect(saved.saves).toBe(1);
	});

	it('starts again once the window has passed since the delivery that started the workflow', async () => {
		const saved = new SavedStaticData();
		await saved.post({ json: agentStop() }, { options: { repeatWindowMinutes: 10 } });
		now += 9 * MINUTE;
		expect((await saved.post({ json: agentStop() }, { options: { repeatWindowMinutes: 10 } })).items).toHaveLength(0);
		now += 1 * MINUTE;
		expect((await saved.post({ json: agentStop() }, { options: { repeatWindowMinutes: 10 } })).items).toHaveLength(1);
	});

	it('keeps no body text in static data, only digests and times', async () => {
		const saved = new SavedStaticData();
		await saved.post({ json: agentStop({ data: { text: MARKER } }) });
		expect(JSON.stringify(saved.data)).not.toContain(MARKER);
		expect(saved.remembered()).toEqual([[expect.stringMatching(/^[\w-]{16}$/), now]]);
	});

	it('forgets the oldest delivery past Max Remembered Deliveries', async () => {
		const saved = new SavedStaticData();
		const options = { options: { maxRemembered: 3 } };
		for (let i = 0; i < 5; i++) {
			now += 1000;
			expect((await saved.post({ json: agentStop({ requestId: `r${i}` }) }, options)).items).toHaveLength(1);
			expect(saved.remembered().length).toBeLessThanOrEqual(3);
		}
		expect((await saved.post({ json: agentStop({ requestId: 'r4' }) }, options)).items).toHaveLength(0);
		expect((await saved.post({ json: agentStop({ requestId: 'r2' }) }, options)).items).toHaveLength(0);
		// r0 and r1 were forgotten to make room.
		expect((await saved.post({ json: agentStop({ requestId: 'r0' }) }, options)).items).toHaveLength(1);
	});

	it('starts every delivery when off', async () => {
		const saved = new SavedStaticData();
		for (let i = 0; i < 2; i++) expect((await saved.post({ json: agentStop() }, { options: { dropRepeats: false } })).items).toHaveLength(1);
		expect(saved.saves).toBe(0);
	});

	it('starts every delivery on "Listen for test event" (manual mode)', async () => {
		const saved = new SavedStaticData();
		for (let i = 0; i < 2; i++) expect((await saved.post({ json: agentStop() }, {}, 'manual')).items).toHaveLength(1);
	});

	it('does not remember an event the filter acknowledged without starting', async () => {
		const saved = new SavedStaticData();
		expect((await saved.post({ json: chatRecord() }, { events: ['agent_stop'] })).items).toHaveLength(0);
		expect(saved.saves).toBe(0);
		expect((await saved.post({ json: chatRecord() })).items).toHaveLength(1);
	});
});

describe('ICE Agent Trigger: numeric options validated like every node', () => {
	it.each([
		['maxBodySize', 0, 'Max Body Size (KB)', 'is 0'],
		['maxBodySize', -5, 'Max Body Size (KB)', 'is -5'],
		['maxBodySize', 'abc', 'Max Body Size (KB)', 'is "abc"'],
		['maxBodySize', Number.NaN, 'Max Body Size (KB)', 'is NaN'],
		['repeatWindowMinutes', 0, 'Repeat Window (Minutes)', 'is 0'],
		['repeatWindowMinutes', 'soon', 'Repeat Window (Minutes)', 'is "soon"'],
		['maxRemembered', 2.5, 'Max Remembered Deliveries', 'is 2.5'],
	])('%s = %p answers 500, starts nothing and logs the option, not the body', async (name, value, label, shown) => {
		const call = await new SavedStaticData().post({ json: agentStop({ data: { text: MARKER } }) }, { options: { [name]: value } });
		expect(call.response.statusCode).toBe(500);
		expect(call.response.body).toEqual({ error: expect.stringMatching(/misconfigured, so the workflow was not started/) });
		expect(call.result.workflowData).toBeUndefined();
		expect(call.staticDataChanged).toBe(false);
		expect(logged).toEqual([['error', expect.stringContaining(`The option "${label}" ${shown}`)]]);
		expect(JSON.stringify([call.response, logged])).not.toContain(MARKER);
	});

	it('fails the activation with the option named, so a fixed bad value is seen before any callback', async () => {
		await expect(activateWebhook({ type: TYPE, parameters: { options: { maxBodySize: 0 } }, credentials: CREDENTIALS })).rejects.toThrow(
			'The option "Max Body Size (KB)" is 0, which is not a number from 1 to 1048576',
		);
		await expect(activateWebhook({ type: TYPE, parameters: { options: { repeatWindowMinutes: -1 } }, credentials: CREDENTIALS })).rejects.toThrow(
			'Repeat Window (Minutes)',
		);
		expect(await activateWebhook({ type: TYPE, parameters: { options: { maxBodySize: 64 } }, credentials: CREDENTIALS })).toBe(true);
	});

	it('uses the defaults when the options are empty', async () => {
		const call = await new SavedStaticData().post({ json: agentStop() }, { options: { maxBodySize: '', repeatWindowMinutes: '' } });
		expect(call.items).toHaveLength(1);
	});
});

describe('ICE Agent Trigger: nothing from a callback body is logged or echoed', () => {
	it.each([
		['text/plain', 'text/plain'],
		['no content type', undefined],
	])('a non-JSON body (%s) gets 400 without any of its text, in the answer or the log', async (_name, contentType) => {
		const raw = `{"event": "agent_stop", "data": {"text": "${MARKER}" oops`;
		const call = await new SavedStaticData().post({ raw, contentType });
		expect(call.response.statusCode).toBe(400);
		expect(call.response.body).toEqual({ error: expect.stringMatching(/^The callback body is not valid JSON\./) });
		expect(logged).toEqual([['warn', expect.stringMatching(/rejected a callback \(400\)/)]]);
		expect(JSON.stringify([call.response, logged])).not.toContain(MARKER);
		expect(JSON.stringify([call.response, logged])).not.toContain('oops');
	});

	it('a body whose JSON.parse error would quote it (Node 20+) still leaves it out', async () => {
		const raw = `${MARKER} is not json`;
		expect(() => JSON.parse(raw)).toThrow(MARKER.slice(0, 8));
		const call = await new SavedStaticData().post({ raw, contentType: 'text/plain' });
		expect(call.response.statusCode).toBe(400);
		expect(JSON.stringify([call.response, logged])).not.toContain(MARKER.slice(0, 8));
	});

	it('an accepted, a repeated and an oversized callback log nothing of the body', async () => {
		const saved = new SavedStaticData();
		const payload = agentStop({ data: { text: MARKER } });
		await saved.post({ json: payload });
		await saved.post({ json: payload });
		const big = await saved.post({ json: agentStop({ data: { text: MARKER, padding: 'x'.repeat(3000) } }) }, { options: { maxBodySize: 2 } });
		expect(big.response.statusCode).toBe(400);
		expect(JSON.stringify(logged)).not.toContain(MARKER);
		expect(JSON.stringify(big.response)).not.toContain(MARKER);
	});
});
