/**
 * The emulator in its own process, driven over its admin routes. The real API runs on other
 * machines, so its CPU work (signature checks, call-log JSON, analysis text) must not be billed
 * to the nodes: in one process it would share the event loop with the workflow being timed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import type { RecordedRequest } from '../emulator';

export interface BenchEmulator {
	url: string;
	/** Its process id, to read how much CPU it got (see load.ts). */
	pid: number;
	reset(latencyMs: number): Promise<void>;
	requests(): Promise<RecordedRequest[]>;
	close(): Promise<void>;
}

async function admin(url: string, path: string, body?: unknown): Promise<unknown> {
	const response = await fetch(`${url}/__emulator/${path}`, {
		method: body === undefined ? 'GET' : 'POST',
		headers: body === undefined ? undefined : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	if (!response.ok) throw new Error(`emulator admin ${path}: HTTP ${response.status} ${await response.text()}`);
	return await response.json();
}

function waitForUrl(child: ChildProcess): Promise<string> {
	return new Promise((resolve, reject) => {
		let out = '';
		let err = '';
		const onData = (chunk: Buffer) => {
			out += chunk.toString();
			const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
			if (match) {
				child.stdout?.off('data', onData);
				// Keep draining so a chatty child never blocks on a full pipe.
				child.stdout?.resume();
				resolve(match[1]);
			}
		};
		child.stdout?.on('data', onData);
		child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
		child.once('error', reject);
		child.once('exit', (code) => reject(new Error(`emulator process exited with ${code}: ${err.trim()}`)));
	});
}

export async function startEmulatorProcess(latencyMs: number): Promise<BenchEmulator> {
	const root = join(__dirname, '..', '..');
	const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test', 'emulator', 'cli.ts'), '--port', '0'], {
		cwd: root,
		env: { ...process.env, EMULATOR_LATENCY_MS: String(latencyMs) },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let url: string;
	try {
		url = await waitForUrl(child);
	} catch (error) {
		child.kill('SIGTERM');
		throw error;
	}
	child.stderr?.resume();
	return {
		url,
		pid: child.pid ?? 0,
		async reset(ms) {
			await admin(url, 'reset', {});
			await admin(url, 'latency', { ms });
		},
		async requests() {
			return (await admin(url, 'requests')) as RecordedRequest[];
		},
		close() {
			return new Promise((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill('SIGTERM');
			});
		},
	};
}
