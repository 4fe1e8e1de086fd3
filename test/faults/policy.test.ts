/**
 * The retry policy per call and the download guards, each proven on one node in n8n's engine.
 * The fault matrix (matrix.test.ts) then runs every fault against every node.
 */
import { type IDataObject, sleep } from 'n8n-workflow';

import { parseRetryAfter } from '../../nodes/shared/transport';
import { FIXTURES } from '../emulator';
import { runNode } from '../helpers/engine';
import { useEmulatorContext } from '../helpers/emulatorSuite';

const env = useEmulatorContext();

const conversation = { sessionId: 's-1', sentences: [{ role: 'user', text: '我要投诉' }] };

async function analyze(options: IDataObject, continueOnFail = false) {
	return await runNode(
		'alibabaCcaiAnalyze',
		{ operation: 'analyzeConversation', workspaceId: FIXTURES.ccai.workspaceId, appId: FIXTURES.ccai.appId, options },
		{ input: [{ conversation }], credentials: env.credentials, continueOnFail },
	);
}

async function callLog(options: IDataObject) {
	return await runNode(
		'alibabaIceArchive',
		{ operation: 'getCallLog', instanceId: FIXTURES.ice.seedInstanceId, options },
		{ credentials: env.credentials },
	);
}

function errorText(error: (Error & { description?: string | null }) | undefined): string {
	return `${error?.message ?? ''}\n${error?.description ?? ''}`;
}

describe('billed calls are sent at most once unless the server refused them', () => {
	it('AnalyzeConversation that outlives Timeout is sent once and says to raise Timeout', async () => {
		env.emulator.addFault({ kind: 'latency', latencyMs: 1500, match: { action: 'AnalyzeConversation' }, times: Infinity });
		const result = await analyze({ timeout: 1 });
		const ended = Date.now();
		expect(env.emulator.countCalls('AnalyzeConversation')).toBe(1);
		// Measured from the request's arrival: the engine's first run also loads modules.
		expect(ended - env.emulator.requests[0].at).toBeLessThan(1400);
		const error = result.error('Node');
		expect(error?.message).toContain('Alibaba Cloud ContactCenterAI AnalyzeConversation');
		expect(error?.message).toContain("took longer than Timeout (1 s); raise Timeout in the node's options");
		expect(error?.message).toContain('not sent again');
		// The emulator is still answering that request; let it finish before the next test's faults are queued.
		await sleep(Math.max(0, env.emulator.requests[0].at + 1600 - Date.now()));
	});

	it.each([
		['a 500', { kind: 'serverError', status: 500 } as const],
		['a 503', { kind: 'serverError' } as const],
		['a reset after sending', { kind: 'drop' } as const],
	])('AnalyzeConversation answered with %s is not sent again', async (_name, fault) => {
		env.emulator.addFault({ ...fault, match: { action: 'AnalyzeConversation' }, times: Infinity });
		const result = await analyze({});
		expect(env.emulator.countCalls('AnalyzeConversation')).toBe(1);
		expect(result.error('Node')?.message).toContain('not sent again');
	});

	it('AnalyzeConversation refused with 429 is sent again (the refusal is not billed)', async () => {
		env.emulator.addFault({ kind: 'throttle', status: 429, retryAfter: '0', match: { action: 'AnalyzeConversation' }, times: 2 });
		const result = await analyze({});
		expect(result.error('Node')).toBeUndefined();
		expect(env.emulator.requests.filter((r) => r.action === 'AnalyzeConversation').map((r) => r.status)).toEqual([429, 429, 200]);
	});

	it('retries of a throttled analysis take turns of the Requests per Second limiter', async () => {
		env.emulator.addFault({ kind: 'throttle', retryAfter: '0', match: { action: 'AnalyzeConversation' }, times: 2 });
		const result = await analyze({ requestsPerSecond: 4 });
		expect(result.error('Node')).toBeUndefined();
		const times = env.emulator.requests.filter((r) => r.action === 'AnalyzeConversation').map((r) => r.at);
		expect(times).toHaveLength(3);
		// 4 rps with 0.9 headroom: one turn every 278 ms, even though Retry-After said 0.
		for (let i = 1; i < times.length; i++) expect(times[i] - times[i - 1]).toBeGreaterThanOrEqual(250);
	});
});

describe('Retry-After', () => {
	it('reads seconds and HTTP dates; ignores negative or unreadable values', () => {
		const now = Date.parse('Wed, 02 Dec 2026 10:00:00 GMT');
		expect(parseRetryAfter('3', now)).toBe(3000);
		expect(parseRetryAfter('1.5', now)).toBe(1500);
		expect(parseRetryAfter('Wed, 02 Dec 2026 10:00:07 GMT', now)).toBe(7000);
		expect(parseRetryAfter('Wed, 02 Dec 2026 09:59:00 GMT', now)).toBe(0);
		expect(parseRetryAfter('-5', now)).toBeUndefined();
		expect(parseRetryAfter('soon', now)).toBeUndefined();
		expect(parseRetryAfter(undefined, now)).toBeUndefined();
	});

	it('a Retry-After beyond the documented maximum fails at once with the server\'s own words', async () => {
		env.emulator.addFault({ kind: 'throttle', status: 429, retryAfter: '120', match: { action: 'DescribeAIAgentInstance' }, times: Infinity });
		const started = Date.now();
		const result = await callLog({});
		expect(Date.now() - started).toBeLessThan(2000);
		expect(env.emulator.countCalls('DescribeAIAgentInstance')).toBe(1);
		const message = result.error('Node')?.message ?? '';
		expect(message).toContain('Request was denied due to user flow control.');
		expect(message).toContain('asked to wait 120 s');
		expect(message).toContain('run the node again later');
	});

	it('waits what an HTTP-date Retry-After asks for', async () => {
		const at = new Date(Math.ceil((Date.now() + 1500) / 1000) * 1000);
		env.emulator.addFault({ kind: 'throttle', status: 429, retryAfter: at.toUTCString(), match: { action: 'DescribeAIAgentInstance' } });
		const result = await callLog({});
		expect(result.error('Node')).toBeUndefined();
		const [refused, accepted] = env.emulator.requests.filter((r) => r.action === 'DescribeAIAgentInstance');
		expect(refused.status).toBe(429);
		expect(accepted.at).toBeGreaterThanOrEqual(at.getTime() - 5);
	});
});

describe('downloads have an idle timeout and an overall deadline', () => {
	it('a call log whose body stalls after the headers fails after Timeout, not never', async () => {
		env.emulator.addFault({ kind: 'stallAfterHeaders', match: { pathIncludes: '/calllogs/' }, times: Infinity });
		const started = Date.now();
		const result = await callLog({ timeout: 1 });
		const took = Date.now() - started;
		expect(took).toBeGreaterThanOrEqual(950);
		expect(took).toBeLessThan(2500);
		expect(errorText(result.error('Node'))).toContain("nothing arrived for longer than Timeout (1 s); raise Timeout in the node's options");
	});

	it('a slow-drip call log is stopped at Download Deadline although bytes keep coming', async () => {
		env.emulator.addFault({ kind: 'slowDrip', chunkBytes: 8, intervalMs: 50, match: { pathIncludes: '/calllogs/' }, times: Infinity });
		const started = Date.now();
		const result = await callLog({ timeout: 1, downloadDeadline: 1.5 });
		const took = Date.now() - started;
		expect(took).toBeGreaterThanOrEqual(1400);
		expect(took).toBeLessThan(3000);
		expect(errorText(result.error('Node'))).toContain('took longer than Download Deadline (1.5 s)');
	});
});

describe('downloads and cancellation', () => {
	it('cancelling the execution closes a stalled download\'s socket at once', async () => {
		env.emulator.addFault({ kind: 'stallAfterHeaders', match: { pathIncludes: '/calllogs/' }, times: Infinity });
		const cancelAt = Date.now() + 1500;
		await runNode(
			'alibabaIceArchive',
			{ operation: 'getCallLog', instanceId: FIXTURES.ice.seedInstanceId, options: { timeout: 60, downloadDeadline: 300 } },
			{ credentials: env.credentials, cancelAfterMs: 1500 },
		);
		const download = () => env.emulator.requests.find((r) => r.path.includes('/calllogs/'));
		for (let waited = 0; download()?.closedAt === undefined && waited < 3000; waited += 50) await sleep(50);
		expect(download()).toBeDefined();
		// Without the cancel signal the socket would stay open for the 60 s Timeout.
		expect(download()!.closedAt! - cancelAt).toBeLessThan(500);
	});

	it('a stalled download frees its concurrency slot: the next item still runs (Concurrency 1)', async () => {
		env.emulator.addFault({ kind: 'stallAfterHeaders', match: { pathIncludes: '/calllogs/' }, times: 1 });
		const result = await runNode(
			'alibabaIceArchive',
			{ operation: 'getCallLog', instanceId: '={{ $json.id }}', options: { timeout: 1, concurrency: 1 } },
			{
				credentials: env.credentials,
				continueOnFail: true,
				input: [{ id: FIXTURES.ice.seedInstanceId }, { id: FIXTURES.ice.seedInstanceId }],
			},
		);
		expect(result.items).toHaveLength(2);
		expect(String(result.items[0].json.error)).toContain('DownloadStalled');
		expect(result.items[1].json.error).toBeUndefined();
		expect(result.items[1].json.conversation).toBeDefined();
	});
});

describe('numeric options are validated the same way everywhere', () => {
	it.each([
		[0, 'is 0'],
		['abc', 'is "abc"'],
		[-1, 'is -1'],
	])('Dialog Detail Max Download Size %p fails with a clear message instead of disabling the cap', async (value, shown) => {
		const result = await runNode(
			'alibabaDialogDetail',
			{
				operation: 'getAnalysisResult',
				workspaceId: FIXTURES.dianjin.workspaceId,
				sessionIds: FIXTURES.dianjin.completedSessionId,
				returnAll: true,
				options: { maxDownloadSizeMb: value },
			},
			{ credentials: env.credentials },
		);
		const message = result.error('Node')?.message ?? '';
		expect(message).toContain(`The option "Max Download Size (MB)" ${shown}`);
		expect(result.error('Node')?.description).toContain('fix the expression');
	});

	it('CCAI Concurrency of 0 from an expression fails before anything is sent', async () => {
		const result = await analyze({ concurrency: 0 });
		expect(result.error('Node')?.message).toContain('The option "Concurrency" is 0, which is not a whole number from 1 to 1000');
		expect(env.emulator.countCalls('AnalyzeConversation')).toBe(0);
	});
});
