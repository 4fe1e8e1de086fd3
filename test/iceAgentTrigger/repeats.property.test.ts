/**
 * Drop Repeats as a property, over random schedules of deliveries, repeats (inside and past the
 * window, some serialised differently), n8n restarts that keep the static data and losses of it,
 * on a faked clock. Each delivery runs the trigger's webhook() in n8n-core's WebhookContext with
 * the static data n8n would load for it, and the static data is "saved" only when n8n would save
 * it (changed, answered without error), as live webhooks do.
 *
 * The rule checked for every delivery: it starts the workflow unless the same callback started it
 * less than Repeat Window ago, with no loss of static data since and fewer than Max Remembered
 * Deliveries other starts since. So every distinct callback starts exactly once on its first
 * delivery, a repeat within the window starts none, and the memory never exceeds the cap.
 */
import { Logger } from '@n8n/backend-common';
import { Container } from '@n8n/di';
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { triggerClock } from '../../nodes/AlibabaIceAgentTrigger/clock';
import { MEMORY_KEY } from '../../nodes/AlibabaIceAgentTrigger/repeatMemory';
import { callWebhook } from '../helpers/webhook';
import { AGENT_ID, INSTANCE_ID } from './payloads';

const MINUTE = 60_000;

type Kind = 'ownId' | 'timestamp' | 'hashed';

type Step =
	| { kind: 'deliver'; callback: number; advanceMs: number; reorder: boolean }
	| { kind: 'restart'; keepStaticData: boolean };

/** Distinct callbacks: each has something the others lack, whichever way its key is made. */
function callbackBody(index: number, kind: Kind, reorder: boolean): IDataObject {
	const envelope: IDataObject = {
		aiAgentId: AGENT_ID,
		instanceId: `${INSTANCE_ID}-${index % 3}`,
		event: index % 2 === 0 ? 'audio_record' : 'chat_record',
		data: { text: `sentence ${index}`, seq: index },
	};
	if (kind === 'ownId') envelope.requestId = `req-${index}`;
	if (kind === 'timestamp') envelope.timestamp = 1_764_669_600_000 + index;
	if (!reorder) return envelope;
	return Object.fromEntries(Object.entries(envelope).reverse());
}

const stepArb: fc.Arbitrary<Step> = fc.oneof(
	{
		weight: 8,
		arbitrary: fc.record({
			kind: fc.constant('deliver' as const),
			callback: fc.nat({ max: 7 }),
			// Whole minutes hit the window's edge exactly; milliseconds fall anywhere.
			advanceMs: fc.oneof(fc.constantFrom(0, 1, MINUTE, 5 * MINUTE, 60 * MINUTE), fc.nat({ max: 90 * MINUTE })),
			reorder: fc.boolean(),
		}),
	},
	{ weight: 1, arbitrary: fc.record({ kind: fc.constant('restart' as const), keepStaticData: fc.boolean() }) },
);

const scenarioArb = fc.record({
	windowMinutes: fc.constantFrom(1, 5, 60),
	maxRemembered: fc.constantFrom(1, 2, 3, 5, 1000),
	kinds: fc.array(fc.constantFrom<Kind>('ownId', 'timestamp', 'hashed'), { minLength: 8, maxLength: 8 }),
	steps: fc.array(stepArb, { minLength: 1, maxLength: 40 }),
});

let now = 0;
beforeEach(() => {
	jest.spyOn(triggerClock, 'now').mockImplementation(() => now);
	jest.spyOn(Container.get(Logger), 'warn').mockImplementation(() => {});
});
afterEach(() => jest.restoreAllMocks());

describe('ICE Agent Trigger Drop Repeats (property, faked clock, n8n WebhookContext)', () => {
	it('every distinct delivery starts exactly one execution, a repeat within the window none, memory within the cap', async () => {
		await fc.assert(
			fc.asyncProperty(scenarioArb, async ({ windowMinutes, maxRemembered, kinds, steps }) => {
				now = Date.parse('2026-12-02T10:00:00Z');
				const windowMs = windowMinutes * MINUTE;
				const parameters = { authentication: 'none', options: { repeatWindowMinutes: windowMinutes, maxRemembered } };
				/** n8n's database copy of the workflow's static data. */
				let saved: IDataObject = {};
				/** What the schedule did so far: every start, and when static data was last lost. */
				const starts: Array<{ callback: number; at: number; step: number }> = [];
				let lostAtStep = -1;
				const startsPerCallback = new Map<number, number>();

				for (const [index, step] of steps.entries()) {
					if (step.kind === 'restart') {
						// n8n reloads static data from the database for every request, so a restart that
						// keeps the database changes nothing; a lost one starts from empty.
						if (!step.keepStaticData) {
							saved = {};
							lostAtStep = index;
						}
						continue;
					}
					now += step.advanceMs;
					const call = await callWebhook({
						type: 'alibabaIceAgentTrigger',
						parameters,
						request: { json: callbackBody(step.callback, kinds[step.callback], step.reorder) },
						staticData: JSON.parse(JSON.stringify(saved)) as IDataObject,
					});
					expect(call.response.statusCode).toBe(200);
					if (call.staticDataChanged) saved = JSON.parse(JSON.stringify(call.staticData)) as IDataObject;

					const last = [...starts].reverse().find((start) => start.callback === step.callback);
					const remembered =
						last !== undefined &&
						now - last.at < windowMs &&
						last.step > lostAtStep &&
						starts.filter((start) => start.step > last.step).length < maxRemembered;
					const started = call.items.length === 1;
					expect({ step: index, started }).toEqual({ step: index, started: !remembered });
					expect(call.response.body).toMatchObject({ started: !remembered });
					if (started) {
						starts.push({ callback: step.callback, at: now, step: index });
						startsPerCallback.set(step.callback, (startsPerCallback.get(step.callback) ?? 0) + 1);
					}

					const memory = ((saved['node:Trigger'] as IDataObject | undefined)?.[MEMORY_KEY] as unknown[] | undefined) ?? [];
					expect(memory.length).toBeLessThanOrEqual(maxRemembered);
				}

				// Every callback delivered at least once started at least once: nothing is ever dropped unseen.
				const delivered = new Set(steps.flatMap((step) => (step.kind === 'deliver' ? [step.callback] : [])));
				for (const callback of delivered) expect(startsPerCallback.get(callback) ?? 0).toBeGreaterThanOrEqual(1);
			}),
			{ numRuns: 300 },
		);
	});

	it('with memory that is never lost or full, each distinct callback repeated within the window starts exactly once', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.array(fc.record({ callback: fc.nat({ max: 9 }), advanceMs: fc.nat({ max: 5 * MINUTE }), reorder: fc.boolean() }), {
					minLength: 1,
					maxLength: 40,
				}),
				async (deliveries) => {
					now = Date.parse('2026-12-02T10:00:00Z');
					// 40 deliveries of at most 5 minutes apart stay inside a 7-day window.
					const parameters = { authentication: 'none', options: { repeatWindowMinutes: 10_080 } };
					let saved: IDataObject = {};
					const executions = new Map<number, number>();
					for (const delivery of deliveries) {
						now += delivery.advanceMs;
						const call = await callWebhook({
							type: 'alibabaIceAgentTrigger',
							parameters,
							request: { json: callbackBody(delivery.callback, 'hashed', delivery.reorder) },
							staticData: JSON.parse(JSON.stringify(saved)) as IDataObject,
						});
						if (call.staticDataChanged) saved = JSON.parse(JSON.stringify(call.staticData)) as IDataObject;
						executions.set(delivery.callback, (executions.get(delivery.callback) ?? 0) + call.items.length);
					}
					const distinct = new Set(deliveries.map((delivery) => delivery.callback));
					expect([...executions.entries()].filter(([, count]) => count > 0).length).toBe(distinct.size);
					for (const count of executions.values()) expect(count).toBe(1);
				},
			),
			{ numRuns: 200 },
		);
	});
});
