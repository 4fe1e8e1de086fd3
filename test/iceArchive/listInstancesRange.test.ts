import { callsOf, runArchive, useEmulator } from './setup';

const AGENT = 'agent-list-range';
const MINUTE = 60_000;

const list = (parameters: Record<string, unknown>) => ({ operation: 'listInstances', aiAgentId: AGENT, ...parameters });

describe('ICE Archive: List Instances past the 100-page cap and across page shifts', () => {
	const ctx = useEmulator();

	it('Return All lists 10,050 calls (more than 100 pages of 100) by splitting the range, each once, newest first', async () => {
		const now = Date.now();
		ctx.emu.ice.addBulk({ agentId: AGENT, count: 10_050, from: now - 4 * 60 * MINUTE, intervalMs: 1000 });

		const result = await runArchive(ctx.emu, list({ returnAll: true }));

		expect(result.error).toBeUndefined();
		const ids = result.json.map((json) => json.instanceId);
		expect(ids).toHaveLength(10_050);
		expect(ids).toEqual(ctx.emu.ice.calls(AGENT).map((call) => call.id));
		const pages = callsOf(ctx.emu, 'ListAIAgentInstance');
		expect(pages.filter((request) => request.query.PageNumber === '100')).not.toHaveLength(0);
		// The first listing had no time range; the halves it was split into have one.
		expect(pages[0].query).not.toHaveProperty('StartTime');
		expect(pages.at(-1)?.query).toHaveProperty('StartTime');
	}, 120_000);

	it('outputs a call once when a new call shifts the pages between two reads', async () => {
		const now = Date.now();
		ctx.emu.ice.addBulk({ agentId: AGENT, count: 25, from: now - 60 * MINUTE, intervalMs: MINUTE });
		ctx.emu.ice.insertBeforeList(AGENT, 2, [{ createdAt: now - 1000 }]);

		const result = await runArchive(ctx.emu, list({ returnAll: true, options: { pageSize: 10 } }));

		const ids = result.json.map((json) => json.instanceId);
		// Page 2 starts one call later than it would have: its first call is page 1's last, output once.
		expect(ctx.emu.ice.calls(AGENT)).toHaveLength(26);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids).toHaveLength(25);
	});

	it('with a Limit pages only as far as the limit needs, even on a range past the cap', async () => {
		const now = Date.now();
		ctx.emu.ice.addBulk({ agentId: AGENT, count: 1_500, from: now - 60 * MINUTE, intervalMs: 1000 });

		const result = await runArchive(ctx.emu, list({ limit: 1_200, options: { pageSize: 10 } }));

		expect(result.json).toHaveLength(1_200);
		expect(result.json.map((json) => json.instanceId)).toEqual(ctx.emu.ice.calls(AGENT).slice(0, 1_200).map((call) => call.id));
	}, 60_000);
});
