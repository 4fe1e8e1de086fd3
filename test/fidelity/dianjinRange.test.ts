import type { IDataObject } from 'n8n-workflow';

import type { ApiVariants } from '../emulator';
import { runNode } from '../helpers/engine';
import { DIANJIN, errorText, jsonOf, NODE_TYPE, useEmulator } from '../dialogDetail/setup';

const ctx = useEmulator();

/** Bulk sessions start 2025-09-01 00:00:00 Beijing time; ids end in their 5-digit index. */
const bulkId = (i: number) => `19066239238156${String(i).padStart(5, '0')}`;
const SEPTEMBER = { selectBy: 'timeRange', startTime: '2025-09-01T00:00:00+08:00', endTime: '2025-09-30T23:59:59+08:00' };

const CAPS: Array<ApiVariants['dianjinRangeCap']> = ['error', 'silent'];
const CASES = CAPS.flatMap((cap) =>
	[
		{ delivery: 'inline', sessions: 57, perCall: 10 },
		{ delivery: 'url', sessions: 2345, perCall: 1000 },
	].flatMap((shape) => [true, false].map((asc) => ({ cap, asc, ...shape }))),
);

function analysisCalls() {
	return ctx.emulator.requests.filter((r) => r.action === 'GetDialogAnalysisResult');
}

async function rangeRun(extra: IDataObject) {
	return await runNode(
		NODE_TYPE,
		{ operation: 'getAnalysisResult', workspaceId: DIANJIN.workspaceId, returnAll: true, ...SEPTEMBER, ...extra },
		{ credentials: ctx.credentials },
	);
}

describe('Fidelity: DianJin analysis by time range is complete although each call is capped', () => {
	jest.setTimeout(120_000);

	it.each(CASES)(
		'over-cap answer "$cap", $delivery delivery, $sessions sessions, oldest first $asc: every session once, in order',
		async ({ cap, asc, delivery, sessions, perCall }) => {
			ctx.emulator.setVariants({ dianjinRangeCap: cap, dianjinBulkSessions: sessions, dianjinBulkSpacingS: 60 });

			const result = await rangeRun({ delivery, options: { oldestFirst: asc, concurrency: 10 } });

			expect(result.error('Node')).toBeUndefined();
			const ids = Array.from({ length: sessions }, (_, i) => bulkId(i));
			const json = jsonOf(result.items);
			expect(json.map((j) => j.sessionId)).toEqual(asc ? ids : ids.reverse());
			// Every 50th bulk session is finished and carries its analysis, downloaded or inline.
			const finished = json.filter((j) => j.status === 'success');
			expect(finished).toHaveLength(Math.ceil(sessions / 50));
			expect(finished.every((j) => typeof (j.analysis as IDataObject).dialogSummary === 'string')).toBe(true);
			// The range really was split: more calls than one, each within September, in Beijing time.
			const calls = analysisCalls();
			expect(calls.length).toBeGreaterThan(Math.floor(sessions / perCall));
			for (const call of calls) {
				const body = call.json as IDataObject;
				expect(body.useUrl).toBe(delivery === 'url');
				expect(String(body.startTime) >= '2025-09-01 00:00:00').toBe(true);
				expect(String(body.endTime) <= '2025-09-30 23:59:59').toBe(true);
			}
		},
	);

	it.each(CAPS)('over-cap answer "%s": Limit reads only the first parts of the range', async (cap) => {
		ctx.emulator.setVariants({ dianjinRangeCap: cap, dianjinBulkSessions: 300, dianjinBulkSpacingS: 60 });

		const result = await rangeRun({ delivery: 'inline', returnAll: false, limit: 15 });

		expect(result.error('Node')).toBeUndefined();
		expect(jsonOf(result.items).map((j) => j.sessionId)).toEqual(Array.from({ length: 15 }, (_, i) => bulkId(i)));
		// A whole-range read of 300 sessions at 10 per call needs at least 30 calls.
		expect(analysisCalls().length).toBeLessThan(30);
	});

	it.each(CAPS)('over-cap answer "%s": more calls than Max Calls fails loudly and outputs nothing', async (cap) => {
		ctx.emulator.setVariants({ dianjinRangeCap: cap, dianjinBulkSessions: 300, dianjinBulkSpacingS: 60 });

		const result = await rangeRun({ delivery: 'inline', options: { maxCalls: 5 } });

		const error = result.error('Node');
		expect(error?.message).toContain('more sessions than 5 calls can read');
		expect(errorText(error)).toContain('Max Calls per Time Range');
		expect(result.items).toHaveLength(0);
		expect(analysisCalls()).toHaveLength(5);
	});

	it.each(CAPS)('over-cap answer "%s": a cap\'s worth of sessions in one second fails loudly', async (cap) => {
		ctx.emulator.setVariants({ dianjinRangeCap: cap, dianjinBulkSessions: 12, dianjinBulkSpacingS: 0 });

		const result = await rangeRun({ delivery: 'inline' });

		const error = result.error('Node');
		expect(error?.message).toContain('sessions were created within one second');
		expect(errorText(error)).toContain('Via File');
		expect(result.items).toHaveLength(0);
	});

	it('a range under the cap is still one call, as before', async () => {
		ctx.emulator.setVariants({ dianjinRangeCap: 'silent', dianjinBulkSessions: 9, dianjinBulkSpacingS: 60 });

		const result = await rangeRun({ delivery: 'inline' });

		expect(jsonOf(result.items)).toHaveLength(9);
		expect(analysisCalls()).toHaveLength(1);
		expect(analysisCalls()[0].json).toEqual({
			startTime: '2025-09-01 00:00:00',
			endTime: '2025-09-30 23:59:59',
			useUrl: false,
			asc: true,
		});
	});
});
