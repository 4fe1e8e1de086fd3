import { DEFAULT_VARIANTS, type Emulator, FIXTURES, startEmulator } from '../emulator';
import { callSigned } from '../emulator/signed-client';

let emu: Emulator;

beforeAll(async () => {
	emu = await startEmulator();
});
afterAll(async () => {
	await emu.close();
});
beforeEach(() => emu.reset());

async function admin(method: string, route: string, body?: unknown) {
	const response = await fetch(`${emu.url}/__emulator/${route}`, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function describe1(instanceId: string) {
	const response = await callSigned({
		baseUrl: emu.url,
		action: 'DescribeAIAgentInstance',
		version: FIXTURES.ice.version,
		query: { InstanceId: instanceId },
	});
	return JSON.parse(response.body.toString('utf8')) as { Instance: Record<string, string> };
}

describe('Emulator variants', () => {
	it('start at the shapes the emulator always had, and reset() puts them back', () => {
		expect(emu.variants).toEqual(DEFAULT_VARIANTS);
		emu.setVariants({ chatbotHtmlStatus: 403, iceCallLogLayout: 'opaque' });
		expect(emu.variants).toMatchObject({ chatbotHtmlStatus: 403, iceCallLogLayout: 'opaque', dianjinRangeCap: 'error' });
		emu.reset();
		expect(emu.variants).toEqual(DEFAULT_VARIANTS);
	});

	it('refuse unknown names and values, in code and over HTTP', async () => {
		expect(() => emu.setVariants({ nope: 1 } as never)).toThrow('unknown variant nope');
		expect(() => emu.setVariants({ iceCallLogLayout: 'zip' as never })).toThrow('bad value');
		expect(() => emu.setVariants({ chatbotHtmlStatus: '403' as never })).toThrow('bad value');
		expect((await admin('POST', 'variants', { dianjinRangeCap: 'maybe' })).status).toBe(400);
		const set = await admin('POST', 'variants', { dianjinRangeCap: 'silent' });
		expect(set.status).toBe(200);
		expect((await admin('GET', 'variants')).json.variants).toMatchObject({ dianjinRangeCap: 'silent' });
		expect(emu.variants.dianjinRangeCap).toBe('silent');
	});

	it.each([
		['calllogs', /\/calllogs\/[0-9a-f]{32}\.json\?/],
		['sdk', /\/call_logs\/[0-9a-f]{32}\.json\?/],
		['folder', /\/ai-agent\/[0-9a-f]{32}\/calllog\.json\?/],
		['opaque', /\/ai-agent\/logs\/[0-9a-f]{32}\.json\?/],
	] as const)('CallLogUrl layout %s is served, with or without the log\'s own instanceid', async (layout, pattern) => {
		const id = FIXTURES.ice.seedInstanceId;
		for (const withId of [true, false]) {
			emu.setVariants({ iceCallLogLayout: layout, iceCallLogHasInstanceId: withId, iceSessionId: withId ? 'set' : 'empty' });
			const { Instance } = await describe1(id);
			expect(Instance.CallLogUrl).toMatch(pattern);
			if (layout === 'opaque') expect(Instance.CallLogUrl).not.toContain(id);
			expect(Instance.SessionId).toBe(withId ? FIXTURES.ice.sessionId : '');
			const log = (await (await fetch(Instance.CallLogUrl)).json()) as Record<string, unknown>;
			expect((log.dialog as unknown[]).length).toBe(FIXTURES.ice.seedSentenceCount);
			if (withId) expect(log.instanceid).toBe(id);
			else expect(log).not.toHaveProperty('instanceid');
		}
	});
});
