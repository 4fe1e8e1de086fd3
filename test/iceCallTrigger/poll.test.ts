import type { IDataObject } from 'n8n-workflow';

import { useEmulatorContext } from '../helpers/emulatorSuite';
import { runWorkflow } from '../helpers/engine';
import { liveState, pollItems, savedState, sleepMs, trigger, TRIGGER_TYPE } from './setup';

const AGENT = 'agent-trigger-test';
const MINUTE = 60_000;

const ids = (items: IDataObject[]) => items.map((item) => item.instanceId);

describe('ICE Call Trigger: polls in n8n-core PollContext', () => {
	const ctx = useEmulatorContext();

	it('emits every finished call of the range once, oldest first, with its conversation', async () => {
		const now = Date.now();
		const created = ctx.emulator.ice.addCalls(AGENT, [
			{ createdAt: now - 30 * MINUTE },
			{ createdAt: now - 10 * MINUTE, sentences: 6 },
			{ createdAt: now - 20 * MINUTE },
			{ createdAt: now - 90 * MINUTE }, // before Start From
		]);
		const harness = trigger(ctx.emulator, { aiAgentId: AGENT, startFrom: new Date(now - 60 * MINUTE).toISOString() });

		const activation = await harness.activate();
		if (!activation.ok) throw activation.error;
		const first = activation.items.map((item) => item.json);

		expect(ids(first)).toEqual([created[0], created[2], created[1]]);
		expect(first[2]).toMatchObject({ status: 'Finished', instanceId: created[1], conversation: { source: 'ice' } });
		expect((first[2].conversation as { sentences: unknown[] }).sentences).toHaveLength(6);
		expect(first[0]).not.toHaveProperty('callLog');
		expect(first[0]).not.toHaveProperty('callLogError');
		expect(await pollItems(harness)).toEqual([]);
		// The overlap lists the three calls again: the state remembers each emitted one, and nothing is pending.
		const state = savedState(harness)!;
		expect(Object.keys(state.emitted)).toHaveLength(3);
		expect(state.pending).toEqual([]);
		expect(state.lowWater).toBeGreaterThanOrEqual(now);
	});

	it('holds a running call and emits it once when it has finished, even after the overlap has passed it', async () => {
		const now = Date.now();
		const [running, done] = ctx.emulator.ice.addCalls(AGENT, [
			{ createdAt: now - 5 * MINUTE, status: 'Executing', urlWhileRunning: true },
			{ createdAt: now - 4 * MINUTE },
		]);
		const harness = trigger(ctx.emulator, {
			aiAgentId: AGENT,
			startFrom: new Date(now - 10 * MINUTE).toISOString(),
			options: { overlapMinutes: 0 },
		});

		expect(ids(await pollItems(harness))).toEqual([done]);
		expect(liveState(harness)?.pending).toEqual([expect.objectContaining({ instanceId: running, status: 'Executing' })]);
		expect(await pollItems(harness)).toEqual([]);

		ctx.emulator.ice.updateCall(running, { status: 'Finished' });
		const later = await pollItems(harness);

		expect(ids(later)).toEqual([running]);
		expect(later[0].conversation).toMatchObject({ source: 'ice' });
		expect(ctx.emulator.countCalls('DescribeAIAgentInstance')).toBeGreaterThanOrEqual(1);
		expect(liveState(harness)?.pending).toEqual([]);
		expect(await pollItems(harness)).toEqual([]);
	});

	it('keeps listing from a running call that has no CallLogUrl (no id) until it finishes', async () => {
		const now = Date.now();
		const [running] = ctx.emulator.ice.addCalls(AGENT, [{ createdAt: now - 5 * MINUTE, status: 'Executing' }]);
		const harness = trigger(ctx.emulator, {
			aiAgentId: AGENT,
			startFrom: new Date(now - 10 * MINUTE).toISOString(),
			options: { overlapMinutes: 0 },
		});

		expect(await pollItems(harness)).toEqual([]);
		expect(liveState(harness)?.pending).toEqual([expect.objectContaining({ instanceId: null })]);
		await sleepMs(1100);
		expect(await pollItems(harness)).toEqual([]);
		const starts = ctx.emulator.requests.filter((r) => r.action === 'ListAIAgentInstance').map((r) => r.query.StartTime);
		expect(new Set(starts).size).toBe(1);

		ctx.emulator.ice.updateCall(running, { status: 'Finished' });
		expect(ids(await pollItems(harness))).toEqual([running]);
		expect(liveState(harness)?.pending).toEqual([]);
	});

	it('retries a log that 404s on later polls and emits it once it appears', async () => {
		const now = Date.now();
		const [late] = ctx.emulator.ice.addCalls(AGENT, [{ createdAt: now - 5 * MINUTE, logMissingGets: 2 }]);
		const harness = trigger(ctx.emulator, { aiAgentId: AGENT, startFrom: new Date(now - 10 * MINUTE).toISOString() });

		expect(await pollItems(harness)).toEqual([]);
		expect(liveState(harness)?.pending).toEqual([expect.objectContaining({ instanceId: late, attempts: 1 })]);
		expect(await pollItems(harness)).toEqual([]);
		const third = await pollItems(harness);

		expect(ids(third)).toEqual([late]);
		expect(third[0]).not.toHaveProperty('callLogError');
		expect(third[0].conversation).toMatchObject({ source: 'ice' });
	});

	it('emits a call whose log never appears once, with callLogError, after the retries', async () => {
		const now = Date.now();
		const [missing] = ctx.emulator.ice.addCalls(AGENT, [{ createdAt: now - 5 * MINUTE, log: 'missing' }]);
		const harness = trigger(ctx.emulator, {
			aiAgentId: AGENT,
			startFrom: new Date(now - 10 * MINUTE).toISOString(),
			options: { logRetries: 2 },
		});

		expect(await pollItems(harness)).toEqual([]);
		expect(await pollItems(harness)).toEqual([]);
		const third = await pollItems(harness);

		expect(third).toEqual([
			expect.objectContaining({
				instanceId: missing,
				status: 'Finished',
				conversation: null,
				callLogError: expect.stringMatching(/after 3 attempt\(s\).*HTTP 404/),
			}),
		]);
		expect(await pollItems(harness)).toEqual([]);
	});

	it('emits a call still running after Max Wait once, with its status and callLogError', async () => {
		const now = Date.now();
		const [stuck] = ctx.emulator.ice.addCalls(AGENT, [{ createdAt: now - 5 * MINUTE, status: 'Executing', urlWhileRunning: true }]);
		const harness = trigger(ctx.emulator, {
			aiAgentId: AGENT,
			startFrom: new Date(now - 10 * MINUTE).toISOString(),
			options: { maxWaitHours: 0.0001 },
		});

		expect(await pollItems(harness)).toEqual([]);
		await sleepMs(400);
		const items = await pollItems(harness);

		expect(items).toEqual([
			expect.objectContaining({
				instanceId: stuck,
				status: 'Executing',
				conversation: null,
				callLogError: expect.stringContaining('Max Wait For Unfinished Call'),
			}),
		]);
		ctx.emulator.ice.updateCall(stuck, { status: 'Finished' });
		expect(await pollItems(harness)).toEqual([]);
	});

	it('a poll whose listing fails throws, saves nothing and skips nothing', async () => {
		const now = Date.now();
		const [a] = ctx.emulator.ice.addCalls(AGENT, [{ createdAt: now - 5 * MINUTE }]);
		const harness = trigger(ctx.emulator, { aiAgentId: AGENT, startFrom: new Date(now - 10 * MINUTE).toISOString() });
		expect(ids(await pollItems(harness))).toEqual([a]);
		const before = JSON.stringify(harness.saved);

		const [b] = ctx.emulator.ice.addCalls(AGENT, [{ createdAt: Date.now() - 1000 }]);
		ctx.emulator.addFault({ kind: 'forbidden', match: { action: 'ListAIAgentInstance' } });
		const failed = await harness.poll();

		expect(failed.ok).toBe(false);
		expect(JSON.stringify(harness.saved)).toBe(before);
		harness.restart();
		expect(ids(await pollItems(harness))).toEqual([b]);
	});

	it('pages past 100 pages by splitting the time range: 10,050 calls, each once', async () => {
		const now = Date.now();
		const bulk = ctx.emulator.ice.addBulk({ agentId: AGENT, count: 10_050, from: now - 3 * 60 * MINUTE, intervalMs: 1000 });
		const harness = trigger(ctx.emulator, {
			aiAgentId: AGENT,
			startFrom: new Date(bulk.first).toISOString(),
			includeCallLog: false,
		});

		const items = await pollItems(harness);

		expect(items).toHaveLength(10_050);
		expect(new Set(ids(items)).size).toBe(10_050);
		const expected = ctx.emulator.ice
			.calls(AGENT)
			.map((call) => call.id)
			.reverse();
		expect(ids(items)).toEqual(expected);
		const pages = ctx.emulator.requests.filter((r) => r.action === 'ListAIAgentInstance');
		expect(Math.max(...pages.map((r) => Number(r.query.PageNumber)))).toBe(100);
		expect(pages.length).toBeLessThan(400);
	}, 120_000);

	it('does not emit a call twice when a new call shifts the pages between two reads', async () => {
		const now = Date.now();
		ctx.emulator.ice.addBulk({ agentId: AGENT, count: 250, from: now - 30 * MINUTE, intervalMs: 1000 });
		ctx.emulator.ice.insertBeforeList(AGENT, 2, [{ createdAt: now - 10 * MINUTE }]);
		const harness = trigger(ctx.emulator, {
			aiAgentId: AGENT,
			startFrom: new Date(now - 60 * MINUTE).toISOString(),
			includeCallLog: false,
		});

		const first = await pollItems(harness);
		const second = await pollItems(harness);
		const all = [...first, ...second];

		expect(new Set(ids(all)).size).toBe(all.length);
		expect(all).toHaveLength(251);
	});

	it('starts over when the user moves Start From: calls before the old start are emitted too', async () => {
		const now = Date.now();
		const [early, late] = ctx.emulator.ice.addCalls(AGENT, [{ createdAt: now - 50 * MINUTE }, { createdAt: now - 20 * MINUTE }]);
		const before = trigger(ctx.emulator, { aiAgentId: AGENT, startFrom: new Date(now - 30 * MINUTE).toISOString() });
		const firstRun = await before.activate();
		if (!firstRun.ok) throw firstRun.error;
		expect(ids(firstRun.items.map((item) => item.json))).toEqual([late]);

		// Saving the edited workflow keeps the node's static data; the new Start From must win over it.
		const after = trigger(ctx.emulator, { aiAgentId: AGENT, startFrom: new Date(now - 60 * MINUTE).toISOString() }, before.saved);
		const secondRun = await after.activate();
		if (!secondRun.ok) throw secondRun.error;
		expect(ids(secondRun.items.map((item) => item.json))).toEqual([early, late]);
		expect(savedState(after)?.floor).toBe(now - 60 * MINUTE);
	});

	it('starts over when the user points the trigger at another agent', async () => {
		const now = Date.now();
		const startFrom = new Date(now - 30 * MINUTE).toISOString();
		ctx.emulator.ice.addCalls(AGENT, [{ createdAt: now - 25 * MINUTE }]);
		const [otherCall] = ctx.emulator.ice.addCalls('agent-trigger-other', [{ createdAt: now - 20 * MINUTE }]);
		const before = trigger(ctx.emulator, { aiAgentId: AGENT, startFrom });
		const firstRun = await before.activate();
		if (!firstRun.ok) throw firstRun.error;
		expect(firstRun.items).toHaveLength(1);

		const after = trigger(ctx.emulator, { aiAgentId: 'agent-trigger-other', startFrom }, before.saved);
		const secondRun = await after.activate();
		if (!secondRun.ok) throw secondRun.error;
		// The other agent's call is older than the first agent's saved low-water mark minus the overlap.
		expect(ids(secondRun.items.map((item) => item.json))).toEqual([otherCall]);
		expect(savedState(after)?.aiAgentId).toBe('agent-trigger-other');
	});

	it('outputs a log written out of order in spoken order, whether it is parsed whole or read streaming', async () => {
		const now = Date.now();
		// 5 sentences are a few hundred bytes (parsed whole); 2,000 pass 64 KB (read streaming).
		const [small, large] = ctx.emulator.ice.addCalls(AGENT, [
			{ createdAt: now - 20 * MINUTE, log: 'outOfOrder', sentences: 5 },
			{ createdAt: now - 10 * MINUTE, log: 'outOfOrder', sentences: 2000 },
		]);
		const harness = trigger(ctx.emulator, { aiAgentId: AGENT, startFrom: new Date(now - 30 * MINUTE).toISOString() });
		const activation = await harness.activate();
		if (!activation.ok) throw activation.error;
		const items = activation.items.map((item) => item.json);

		expect(ids(items)).toEqual([small, large]);
		for (const [item, count] of [[items[0], 5], [items[1], 2000]] as const) {
			const sentences = (item.conversation as { sentences: Array<{ id: number; begin: number }> }).sentences;
			expect(sentences.map((s) => s.id)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
			expect(sentences.every((s, i) => i === 0 || s.begin > sentences[i - 1].begin)).toBe(true);
		}
	});

	it('Fetch Test Event (manual) returns the newest finished call and leaves the state alone', async () => {
		const now = Date.now();
		const [older, newest] = ctx.emulator.ice.addCalls(AGENT, [
			{ createdAt: now - 20 * MINUTE },
			{ createdAt: now - 10 * MINUTE },
			{ createdAt: now - 5 * MINUTE, status: 'Executing' },
		]);
		const staticData: IDataObject = {};

		const result = await runWorkflow({
			nodes: [{ name: 'Trigger', type: TRIGGER_TYPE, parameters: { aiAgentId: AGENT } }],
			credentials: ctx.credentials,
			staticData,
			mode: 'manual',
		});

		expect(result.error('Trigger')).toBeUndefined();
		expect(ids(result.output('Trigger').map((item) => item.json))).toEqual([newest]);
		expect(result.output('Trigger')[0].json.conversation).toMatchObject({ source: 'ice' });
		expect(older).not.toBe(newest);
		expect(staticData).toEqual({});
	});
});
