/**
 * 100 messages through Chatbot Chat in one execution: the stream token is fetched once and
 * shared, so the batch should cost 1 ApplyForStreamAccessToken + 100 streams.
 */
import { performance } from 'node:perf_hooks';

import { EMULATOR_KEYS, FIXTURES } from '../emulator';
import { emulatorCredentials } from '../helpers/credentials';
import { runWorkflow } from '../helpers/engine';
import { startEmulatorProcess } from './emulatorProcess';
import type { BenchOptions } from './options';
import { replayPhases } from './transportFloor';
import { ms, ratio, type BenchResult } from './report';

const MESSAGES = 100;
const REPEATS = 3;

interface ChatRun {
	elapsedMs: number;
	tokenCalls: number;
	streamCalls: number;
	otherCalls: number;
	answered: number;
	error?: string;
	/** The same token call and streams replayed with bare node:http, no n8n. */
	floorMs?: number;
}

/**
 * Each run gets its own emulator (in its own process, like the real API): the node caches stream
 * tokens per endpoint for the life of the process, so a new port makes every run start without
 * a token, as n8n does after a restart.
 */
async function runChat(latencyMs: number, concurrency: number, withFloor: boolean, messages = MESSAGES): Promise<ChatRun> {
	const emulator = await startEmulatorProcess(latencyMs);
	try {
		const input = Array.from({ length: messages }, (_, i) => ({ message: `第${i + 1}条消息：订单什么时候发货？` }));
		const start = performance.now();
		const result = await runWorkflow({
			nodes: [
				{
					name: 'Chat',
					type: 'alibabaChatbotChat',
					parameters: {
						operation: 'sendMessage',
						instanceId: FIXTURES.chatbot.instanceId,
						utterance: '={{ $json.message }}',
						options: { concurrency },
					},
				},
			],
			input,
			credentials: emulatorCredentials(emulator.url, EMULATOR_KEYS),
		});
		const elapsedMs = performance.now() - start;
		const error = result.error('Chat');
		const items = error ? [] : result.output('Chat');
		const requests = await emulator.requests();
		const tokenCalls = requests.filter((r) => r.action === 'ApplyForStreamAccessToken').length;
		const streamCalls = requests.filter((r) => r.action === 'TongyiBeebotChat').length;
		const floorMs =
			withFloor && !error
				? await replayPhases(emulator.url, [
						{ requests: requests.filter((r) => r.action === 'ApplyForStreamAccessToken'), concurrency: 1 },
						// The stream URLs carry the token the run was given; it is still valid.
						{ requests: requests.filter((r) => r.action === 'TongyiBeebotChat'), concurrency },
					])
				: undefined;
		return {
			floorMs,
			elapsedMs,
			tokenCalls,
			streamCalls,
			otherCalls: requests.length - tokenCalls - streamCalls,
			answered: items.filter((item) => typeof item.json.answer === 'string' && item.json.answer !== '').length,
			error: error?.message,
		};
	} finally {
		await emulator.close();
	}
}

export async function benchChatbot(options: BenchOptions): Promise<BenchResult> {
	// Untimed: loads the node code and warms the JIT, as in a running n8n.
	await runChat(0, options.concurrency, false, 20);
	const repeats: ChatRun[] = [];
	for (let i = 0; i < REPEATS; i++) repeats.push(await runChat(options.latencyMs, options.concurrency, true));
	const byTime = [...repeats].sort((a, b) => a.elapsedMs - b.elapsedMs);
	const main = byTime[Math.floor(byTime.length / 2)];
	const sequential = options.runSequential ? await runChat(options.latencyMs, 1, false) : undefined;
	const calls = main.tokenCalls + main.streamCalls + main.otherCalls;
	const target = 1 + MESSAGES;
	const bench = '2. Chatbot, 100 messages';
	// Every run must make exactly the target calls, not just the median one.
	const ok = repeats.every(
		(run) => !run.error && run.answered === MESSAGES && run.tokenCalls + run.streamCalls + run.otherCalls === target,
	);
	const rows: BenchResult['rows'] = [
		{
			bench,
			measure: 'API calls (token + streams + other)',
			result: `${calls} (${main.tokenCalls} + ${main.streamCalls} + ${main.otherCalls})`,
			target: `${target} (1 + ${MESSAGES})`,
			verdict: ok ? 'PASS' : 'FAIL',
		},
		{
			bench,
			measure: `Wall time, one execution, concurrency ${options.concurrency} (median of ${REPEATS}; min–max)`,
			result: main.error
				? `failed: ${main.error}`
				: `${ms(main.elapsedMs)} (${ms(byTime[0].elapsedMs)}–${ms(byTime[byTime.length - 1].elapsedMs)}); ${main.answered}/${MESSAGES} answered`,
		},
	];
	if (main.floorMs !== undefined) {
		rows.push({
			bench,
			measure: 'Transport floor: the same 101 calls replayed with bare node:http, same concurrency, no n8n',
			result: `${ms(main.floorMs)}; the workflow takes ${ratio(main.elapsedMs / main.floorMs)} that`,
		});
	}
	if (sequential) {
		rows.push({
			bench,
			measure: 'Same at concurrency 1 (messages one after another); speed-up',
			result: sequential.error
				? `failed: ${sequential.error}`
				: `${ms(sequential.elapsedMs)}; ${ratio(sequential.elapsedMs / main.elapsedMs)}`,
		});
	}
	return {
		name: 'chatbot',
		rows,
		data: { messages: MESSAGES, concurrency: options.concurrency, main, repeatsMs: repeats.map((r) => r.elapsedMs), sequential },
		notes: [
			"Chatbot: a stream also spends the emulator's 1 ms pauses between its odd-sized SSE writes, so a message costs more than one latency.",
		],
	};
}
