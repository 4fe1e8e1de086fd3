import type { IDataObject } from 'n8n-workflow';

import { callsOf, ICE, runArchive, useEmulator } from './setup';

const DAY_MS = 24 * 60 * 60 * 1000;
const iso = (ms: number) => new Date(ms).toISOString();

const list = (parameters: IDataObject = {}) => ({
	operation: 'listDialogues',
	sessionId: ICE.sessionId,
	startTime: iso(ICE.sessionStartTime),
	endTime: iso(ICE.sessionEndTime),
	...parameters,
});

interface Sentence {
	role: string;
	text: string;
	time: number;
	type: string;
	id: string;
	roundId: string;
}

describe('ICE Archive: List Dialogues', () => {
	const ctx = useEmulator();

	it('lists the session as one conversation in spoken order, with the raw dialogues', async () => {
		const result = await runArchive(ctx.emu, list({ returnAll: true }));

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		const json = result.items[0].json as { sessionId: string; conversation: IDataObject; dialogues: IDataObject[] };
		expect(json.sessionId).toBe(ICE.sessionId);
		expect(json.dialogues).toHaveLength(ICE.sessionDialogueCount);
		const sentences = json.conversation.sentences as Sentence[];
		expect(json.conversation).toMatchObject({ source: 'ice', sessionId: ICE.sessionId, startedAt: iso(ICE.sessionStartTime) });
		expect(sentences).toHaveLength(ICE.sessionDialogueCount);
		// The API answers newest first (DESC); the conversation reads oldest first.
		expect(json.dialogues[0].Time).toBeGreaterThan(json.dialogues[1].Time as number);
		const times = sentences.map((s) => s.time);
		expect(times).toEqual([...times].sort((a, b) => a - b));
		expect(sentences[0]).toMatchObject({ role: 'agent', type: 'greeting', time: ICE.sessionStartTime });
		expect(sentences[1]).toMatchObject({ role: 'user', text: expect.stringContaining('第1个问题') });
		expect(new Set(sentences.map((s) => s.roundId)).size).toBe(ICE.sessionRoundCount);
	});

	it('sends the time range in Unix milliseconds and the API default order', async () => {
		await runArchive(ctx.emu, list({ limit: 5 }));

		const [call] = callsOf(ctx.emu, 'ListAIAgentDialogues');
		expect(call.query).toMatchObject({
			SessionId: ICE.sessionId,
			StartTime: String(ICE.sessionStartTime),
			EndTime: String(ICE.sessionEndTime),
			Order: 'DESC',
		});
	});

	it('defaults an empty range to the last 24 hours, which the API requires', async () => {
		const before = Date.now();
		const result = await runArchive(ctx.emu, list({ startTime: '', endTime: '' }));
		const after = Date.now();

		const [call] = callsOf(ctx.emu, 'ListAIAgentDialogues');
		const end = Number(call.query.EndTime);
		expect(end).toBeGreaterThanOrEqual(before);
		expect(end).toBeLessThanOrEqual(after);
		expect(Number(call.query.StartTime)).toBe(end - DAY_MS);
		// The fixture session lies in 2025, so the default window is empty, and says so with an empty conversation.
		expect((result.items[0].json.conversation as { sentences: unknown[] }).sentences).toEqual([]);
	});

	it('defaults an empty start to 24 hours before the given end', async () => {
		await runArchive(ctx.emu, list({ startTime: '' }));

		const [call] = callsOf(ctx.emu, 'ListAIAgentDialogues');
		expect(Number(call.query.StartTime)).toBe(ICE.sessionEndTime - DAY_MS);
	});

	it('pages until a short page', async () => {
		const result = await runArchive(ctx.emu, list({ returnAll: true, options: { pageSize: 10 } }));

		expect(callsOf(ctx.emu, 'ListAIAgentDialogues').map((c) => [c.query.PageNumber, c.query.PageSize])).toEqual([
			['1', '10'],
			['2', '10'],
			['3', '10'],
			['4', '10'],
			['5', '10'],
		]);
		expect((result.items[0].json.dialogues as unknown[]).length).toBe(ICE.sessionDialogueCount);
	});

	it('keeps the newest dialogues under a limit, and the oldest with Order "Oldest First"', async () => {
		const newest = await runArchive(ctx.emu, list({ limit: 5 }));
		const oldest = await runArchive(ctx.emu, list({ limit: 5, options: { order: 'ASC' } }));

		const calls = callsOf(ctx.emu, 'ListAIAgentDialogues');
		expect(calls.map((c) => [c.query.PageSize, c.query.Order])).toEqual([
			['5', 'DESC'],
			['5', 'ASC'],
		]);
		const lastTime = ICE.sessionStartTime + (ICE.sessionDialogueCount - 1) * 7000;
		const newestTimes = (newest.items[0].json.conversation as { sentences: Sentence[] }).sentences.map((s) => s.time);
		expect(newestTimes).toEqual([4, 3, 2, 1, 0].map((back) => lastTime - back * 7000));
		const oldestSentences = (oldest.items[0].json.conversation as { sentences: Sentence[] }).sentences;
		expect(oldestSentences.map((s) => s.time)).toEqual([0, 1, 2, 3, 4].map((n) => ICE.sessionStartTime + n * 7000));
		expect(oldestSentences[0].type).toBe('greeting');
	});

	it('splits into one item per sentence, paired with its input item', async () => {
		const result = await runArchive(
			ctx.emu,
			list({ sessionId: '={{ $json.session }}', returnAll: true, options: { splitIntoItems: true } }),
			{ input: [{ session: 'emu-unknown-session' }, { session: ICE.sessionId }] },
		);

		// An unknown session has no dialogues, so its item yields no sentence items.
		expect(result.items).toHaveLength(ICE.sessionDialogueCount);
		expect(result.items.every((item) => (item.pairedItem as { item: number }).item === 1)).toBe(true);
		expect(result.items.map((item) => item.json.index)).toEqual(Array.from({ length: ICE.sessionDialogueCount }, (_, i) => i));
		expect(result.items[0].json).toMatchObject({
			sessionId: ICE.sessionId,
			index: 0,
			role: 'agent',
			type: 'greeting',
			time: ICE.sessionStartTime,
		});
	});

	it('rejects an invalid date with a clear error, and continues under continue-on-fail', async () => {
		const result = await runArchive(
			ctx.emu,
			list({ startTime: '={{ $json.start }}', limit: 1 }),
			{ input: [{ start: 'next tuesday-ish' }, { start: iso(ICE.sessionStartTime) }], continueOnFail: true },
		);

		expect(result.items).toHaveLength(2);
		expect(result.items[0]).toMatchObject({
			pairedItem: { item: 0 },
			json: { error: 'Start Time "next tuesday-ish" is not a valid date and time' },
		});
		expect(result.items[1].json.sessionId).toBe(ICE.sessionId);
		expect(callsOf(ctx.emu, 'ListAIAgentDialogues')).toHaveLength(1);
	});

	it('surfaces a Session ID that resolves to nothing before calling the API', async () => {
		const result = await runArchive(ctx.emu, list({ sessionId: '={{ $json.session }}' }), { input: [{ session: '' }] });

		expect(result.error?.message).toBe('Session ID is empty');
		expect(ctx.emu.requests).toHaveLength(0);
	});
});
