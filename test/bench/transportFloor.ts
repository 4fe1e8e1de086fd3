/**
 * The transport floor: the very calls a workflow run made, replayed with bare node:http and the
 * SDK's signer, in the same phases and at the same concurrency, with no n8n in the way. The gap
 * between this and the ideal is what HTTP itself costs on this machine; the gap between this and
 * the workflow is what n8n's engine, its request helper and the nodes add.
 */
import { performance } from 'node:perf_hooks';

import type { RecordedRequest } from '../emulator';
import { prepareSignedRequest, send, type PreparedRequest } from '../emulator/signed-client';

async function pool<T>(values: T[], limit: number, fn: (value: T) => Promise<void>): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < values.length) await fn(values[next++]);
	};
	await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, values.length)) }, worker));
}

function replay(baseUrl: string, request: RecordedRequest): PreparedRequest {
	const query = new URLSearchParams(request.query).toString();
	if (!request.headers.authorization) {
		// Call-log downloads and chatbot streams: the URL carries their credentials.
		const headers: Record<string, string> = {};
		if (request.headers['content-type']) headers['content-type'] = request.headers['content-type'];
		return { url: `${baseUrl}${request.path}${query ? `?${query}` : ''}`, method: request.method, headers, body: request.body };
	}
	return prepareSignedRequest({
		baseUrl,
		action: request.action ?? '',
		version: request.headers['x-acs-version'] ?? '',
		method: request.method as 'GET' | 'POST',
		pathname: request.path,
		query: request.query,
		body: request.body,
	});
}

async function call(baseUrl: string, request: RecordedRequest): Promise<void> {
	const response = await send(replay(baseUrl, request));
	const stream = String(response.headers['content-type'] ?? '').startsWith('text/event-stream');
	if (response.status !== 200 || (!stream && response.json === undefined)) {
		throw new Error(`transport floor: ${request.action ?? request.path} answered ${response.status}: ${response.text.slice(0, 200)}`);
	}
}

/** Pages one after another (each needs the previous answer), then each fan-out phase at `concurrency`. */
export async function replayPhases(
	baseUrl: string,
	phases: Array<{ requests: RecordedRequest[]; concurrency: number }>,
): Promise<number> {
	const start = performance.now();
	for (const phase of phases) await pool(phase.requests, phase.concurrency, (request) => call(baseUrl, request));
	return performance.now() - start;
}
