/**
 * The trigger's promise, checked over random schedules (fast-check): calls arrive (some
 * listed late, some still running, some with a log that is late or never appears), finish,
 * log downloads fail, polls run, fail, and n8n restarts from what it last saved. After the
 * schedule drains, every call was emitted exactly once (with its conversation, or once with
 * a callLogError after its retries / its wait), none twice, each poll in creation order, and
 * the state shrinks back to nothing once the overlap window has passed.
 *
 * Runs in n8n-core's PollContext against the emulator, on a faked clock: only `Date` is
 * faked, so the trigger, the credential's x-acs-date, the emulator's signature window and
 * its call times all move together, by hours, without waiting.
 */
import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { EMULATOR_KEYS, startEmulator, type Emulator, type ScriptedCall } from '../emulator';
import { md5Hex } from '../emulator/deterministic';
import { emulatorCredentials } from '../helpers/credentials';
import { PollHarness } from '../helpers/poll';
import { STATE_KEY, TRIGGER_TYPE } from './setup';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const OVERLAP_MINUTES = 10;
const LOG_RETRIES = 2;
const MAX_WAIT_HOURS = 6;
const T0 = Date.parse('2026-03-01T00:00:00Z');

type LogPlan = { kind: 'ok' } | { kind: 'late'; gets: number } | { kind: 'never' };

type Step =
	| { op: 'arrive'; running: boolean; urlWhileRunning: boolean; log: LogPlan; backdateMs: number }
	| { op: 'finish'; pick: number }
	| { op: 'advance'; ms: number }
	| { op: 'poll' }
	| { op: 'failPoll' }
	| { op: 'logFault'; pick: number }
	| { op: 'restart' };

const logPlan: fc.Arbitrary<LogPlan> = fc.oneof(
	{ weight: 6, arbitrary: fc.constant<LogPlan>({ kind: 'ok' }) },
	{ weight: 2, arbitrary: fc.integer({ min: 1, max: 4 }).map<LogPlan>((gets) => ({ kind: 'late', gets })) },
	{ weight: 1, arbitrary: fc.constant<LogPlan>({ kind: 'never' }) },
);

const step: fc.Arbitrary<Step> = fc.oneof(
	{
		weight: 5,
		arbitrary: fc.record({
			op: fc.constant('arrive' as const),
			running: fc.boolean(),
			urlWhileRunning: fc.boolean(),
			log: logPlan,
			// Listed late: created up to half the overlap window before it shows up.
			backdateMs: fc.integer({ min: 0, max: (OVERLAP_MINUTES / 2) * MINUTE }),
		}),
	},
	{ weight: 3, arbitrary: fc.record({ op: fc.constant('finish' as const), pick: fc.nat() }) },
	{ weight: 3, arbitrary: fc.record({ op: fc.constant('advance' as const), ms: fc.integer({ min: 1000, max: 3 * HOUR }) }) },
	{ weight: 4, arbitrary: fc.constant<Step>({ op: 'poll' }) },
	{ weight: 1, arbitrary: fc.constant<Step>({ op: 'failPoll' }) },
	{ weight: 1, arbitrary: fc.record({ op: fc.constant('logFault' as const), pick: fc.nat() }) },
	{ weight: 1, arbitrary: fc.constant<Step>({ op: 'restart' }) },
);

interface CallRecord {
	id: string;
	createdAt: number;
	running: boolean;
	log: LogPlan;
	/** A log fault was aimed at it: it may legitimately end with callLogError. */
	faulted: boolean;
	/** It stayed unfinished past Max Wait at some point: it may end with callLogError. */
	mayTimeOut: boolean;
	runningSince: number;
}

interface Emission {
	id: string;
	poll: number;
	json: IDataObject;
}

class Scenario {
	readonly calls: CallRecord[] = [];

	readonly emissions: Emission[] = [];

	polls = 0;

	private readonly byChannel = new Map<string, string>();

	readonly harness: PollHarness;

	constructor(private readonly emu: Emulator) {
		this.harness = new PollHarness({
			type: TRIGGER_TYPE,
			parameters: {
				aiAgentId: 'agent-property',
				options: { overlapMinutes: OVERLAP_MINUTES, logRetries: LOG_RETRIES, maxWaitHours: MAX_WAIT_HOURS },
			},
			credentials: emulatorCredentials(emu.url, EMULATOR_KEYS),
		});
	}

	now(): number {
		return Date.now();
	}

	advance(ms: number): void {
		jest.setSystemTime(this.now() + ms);
		for (const call of this.calls) {
			if (call.running && this.now() - call.runningSince >= MAX_WAIT_HOURS * HOUR) {
				call.mayTimeOut = true;
			}
		}
	}

	/** Start From is empty: calls count from activation, so none is created before it. */
	activatedAt = T0;

	async activate(): Promise<void> {
		this.activatedAt = this.now();
		await this.poll();
	}

	arrive(step: Extract<Step, { op: 'arrive' }>): void {
		const createdAt = Math.max(this.activatedAt, this.now() - step.backdateMs);
		const scripted: ScriptedCall = {
			createdAt,
			status: step.running ? 'Executing' : 'Finished',
			urlWhileRunning: step.urlWhileRunning,
			log: step.log.kind === 'never' ? 'missing' : 'generated',
			logMissingGets: step.log.kind === 'late' ? step.log.gets : 0,
		};
		const [id] = this.emu.ice.addCalls('agent-property', [scripted]);
		this.byChannel.set(`channel_${md5Hex(`${id}:channel`).slice(0, 16)}`, id);
		this.calls.push({
			id,
			createdAt,
			running: step.running,
			log: step.log,
			faulted: false,
			mayTimeOut: false,
			runningSince: this.now(),
		});
	}

	finish(pick: number): void {
		const running = this.calls.filter((call) => call.running);
		if (running.length > 0) this.finishCall(running[pick % running.length]);
	}

	finishCall(call: CallRecord): void {
		call.running = false;
		this.emu.ice.updateCall(call.id, { status: 'Finished' });
	}

	logFault(pick: number): void {
		if (this.calls.length === 0) return;
		const call = this.calls[pick % this.calls.length];
		call.faulted = true;
		this.emu.addFault({ kind: 'callLogNotFound', match: { pathIncludes: call.id } });
	}

	async poll(failing = false): Promise<void> {
		if (failing) this.emu.addFault({ kind: 'forbidden', match: { action: 'ListAIAgentInstance' } });
		const result = this.polls === 0 ? await this.harness.activate() : await this.harness.poll();
		this.polls++;
		if (!result.ok) {
			// Only the injected failure may fail a poll.
			if (!failing) throw result.error;
			return;
		}
		expect(failing).toBe(false);
		const createdAt = new Map(this.calls.map((call) => [call.id, call.createdAt]));
		const times: number[] = [];
		for (const { json } of result.items) {
			// A call that timed out while its list item had no CallLogUrl has no instanceId: its RTC channel names it.
			const channel = (json.RuntimeConfig as IDataObject | undefined)?.ChannelId;
			const id = json.instanceId === null ? this.byChannel.get(String(channel)) : String(json.instanceId);
			expect(id !== undefined && createdAt.has(id)).toBe(true);
			this.emissions.push({ id: id!, poll: this.polls, json });
			times.push(createdAt.get(id!)!);
		}
		// Creation order within one poll.
		expect(times).toEqual([...times].sort((a, b) => a - b));
	}

	async run(steps: Step[]): Promise<void> {
		for (const s of steps) {
			switch (s.op) {
				case 'arrive':
					this.arrive(s);
					break;
				case 'finish':
					this.finish(s.pick);
					break;
				case 'advance':
					this.advance(s.ms);
					break;
				case 'poll':
					await this.poll();
					break;
				case 'failPoll':
					await this.poll(true);
					break;
				case 'logFault':
					this.logFault(s.pick);
					break;
				case 'restart':
					this.harness.restart();
					break;
			}
		}
	}

	/** Everything finishes, late logs run out, and enough polls pass for every retry and the overlap. */
	async drain(): Promise<void> {
		this.advance(1000);
		await this.poll();
		for (const call of this.calls) if (call.running) this.finishCall(call);
		for (let i = 0; i < LOG_RETRIES + 4; i++) {
			this.advance(OVERLAP_MINUTES * MINUTE);
			await this.poll();
		}
		// Twice past the overlap with nothing new: whatever was remembered can be forgotten.
		for (let i = 0; i < 2; i++) {
			this.advance(2 * OVERLAP_MINUTES * MINUTE);
			await this.poll();
		}
	}

	state(): { emitted: Record<string, number>; pending: unknown[] } {
		return this.harness.liveNodeData()[STATE_KEY] as { emitted: Record<string, number>; pending: unknown[] };
	}
}

describe('ICE Call Trigger: exactly once over random schedules (fast-check, n8n-core PollContext)', () => {
	let emu: Emulator;

	beforeAll(async () => {
		emu = await startEmulator({ port: 0 });
	});
	afterAll(async () => {
		jest.useRealTimers();
		await emu.close();
	});

	it('emits every finished call exactly once, in creation order per poll, and the state drains', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 40 }), async (steps) => {
				jest.useFakeTimers({
					now: T0,
					doNotFake: [
						'hrtime',
						'nextTick',
						'performance',
						'queueMicrotask',
						'requestAnimationFrame',
						'cancelAnimationFrame',
						'requestIdleCallback',
						'cancelIdleCallback',
						'setImmediate',
						'clearImmediate',
						'setInterval',
						'clearInterval',
						'setTimeout',
						'clearTimeout',
					],
				});
				emu.reset();
				try {
					const scenario = new Scenario(emu);
					await scenario.activate();
					await scenario.run(steps);
					await scenario.drain();

					const byId = new Map<string, Emission[]>();
					for (const emission of scenario.emissions) byId.set(emission.id, [...(byId.get(emission.id) ?? []), emission]);
					for (const call of scenario.calls) {
						const emitted = byId.get(call.id) ?? [];
						// Exactly once: never lost, never twice.
						expect({ id: call.id, times: emitted.length }).toEqual({ id: call.id, times: 1 });
						const { json } = emitted[0];
						const logCanFail =
							call.faulted || call.log.kind === 'never' || (call.log.kind === 'late' && call.log.gets > LOG_RETRIES);
						if (json.callLogError !== undefined) {
							// "Once as failed" only after its retries or its wait, never for a healthy call.
							expect(logCanFail || call.mayTimeOut).toBe(true);
							expect(json.conversation).toBeNull();
						} else {
							expect(json.conversation).toMatchObject({ source: 'ice' });
						}
						if (call.log.kind === 'never' && !call.mayTimeOut) expect(json.callLogError).toMatch(/after \d+ attempt/);
					}
					// Bounded: with no new calls for longer than the overlap, nothing is left to remember.
					const state = scenario.state();
					expect(state.pending).toEqual([]);
					expect(state.emitted).toEqual({});
				} finally {
					jest.useRealTimers();
				}
			}),
			{ numRuns: 60, seed: Number(process.env.PROPERTY_SEED ?? 0x1ce) },
		);
	}, 240_000);
});
