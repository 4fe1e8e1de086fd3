'use strict';

const { spawn } = require('node:child_process');
const net = require('node:net');

/**
 * Children run in their own process group (detached) so that one signal reaches the child and
 * everything it started (n8n's task runners), and so that a Ctrl-C in the terminal reaches only
 * us: we then stop the children in order instead of racing their own SIGINT handlers.
 */
const managed = new Set();

function spawnManaged(command, args, options = {}) {
	const child = spawn(command, args, {
		cwd: options.cwd,
		env: options.env ?? process.env,
		stdio: options.stdio ?? ['ignore', 'pipe', 'pipe'],
		detached: process.platform !== 'win32',
	});
	child.exited = new Promise((resolve) => {
		child.once('exit', (code, signal) => {
			managed.delete(child);
			resolve({ code, signal });
		});
		child.once('error', (error) => {
			managed.delete(child);
			resolve({ code: null, signal: null, error });
		});
	});
	managed.add(child);
	return child;
}

function isRunning(child) {
	return child.exitCode === null && child.signalCode === null;
}

function signalGroup(child, signal) {
	try {
		if (process.platform === 'win32') child.kill(signal);
		else process.kill(-child.pid, signal);
	} catch {
		// Already gone.
	}
}

/**
 * SIGTERM the child's process group, then SIGKILL it if it is still there after `graceMs`.
 * `signal` is for servers whose SIGTERM waits on their clients (Postgres: SIGINT is its fast shutdown).
 */
async function stopChild(child, graceMs = 10000, signal = 'SIGTERM') {
	if (!child || child.pid === undefined) return;
	if (isRunning(child)) {
		signalGroup(child, signal);
		const timer = new Promise((resolve) => setTimeout(resolve, graceMs, 'timeout'));
		const outcome = await Promise.race([child.exited, timer]);
		if (outcome === 'timeout') {
			signalGroup(child, 'SIGKILL');
			await child.exited;
		}
	}
	// The leader may be gone while grandchildren (task runners) linger in the group.
	signalGroup(child, 'SIGKILL');
}

async function stopAll(graceMs) {
	await Promise.all([...managed].map((child) => stopChild(child, graceMs)));
}

/** Last-resort cleanup when our own process exits without going through stopAll. */
process.once('exit', () => {
	for (const child of managed) signalGroup(child, 'SIGKILL');
});

/** Runs a command to completion; resolves with its exit code and captured output. */
function run(command, args, options = {}) {
	const child = spawnManaged(command, args, options);
	let stdout = '';
	let stderr = '';
	child.stdout?.on('data', (chunk) => {
		stdout += chunk;
		options.onStdout?.(chunk);
	});
	child.stderr?.on('data', (chunk) => {
		stderr += chunk;
		options.onStderr?.(chunk);
	});
	let timer;
	if (options.timeoutMs) {
		timer = setTimeout(() => {
			stderr += `\n[killed after ${options.timeoutMs} ms]`;
			void stopChild(child, 2000);
		}, options.timeoutMs);
	}
	return child.exited.then(({ code, signal, error }) => {
		clearTimeout(timer);
		if (error) stderr += `\n${error.message}`;
		return { code, signal, stdout, stderr };
	});
}

/** Resolves once `pattern` appears in the child's stdout/stderr; rejects if it exits first or on timeout. */
function waitForOutput(child, pattern, timeoutMs, describe) {
	return new Promise((resolve, reject) => {
		let seen = '';
		const onData = (chunk) => {
			seen += chunk;
			const match = seen.match(pattern);
			if (match) {
				cleanup();
				resolve(match);
			}
			if (seen.length > 1_000_000) seen = seen.slice(-100_000);
		};
		const onExit = ({ code, signal }) => {
			cleanup();
			reject(new Error(`${describe} exited (code ${code}, signal ${signal}) before it was ready:\n${seen.slice(-4000)}`));
		};
		const timer = setTimeout(() => {
			cleanup();
			reject(new Error(`${describe} was not ready after ${timeoutMs / 1000} s:\n${seen.slice(-4000)}`));
		}, timeoutMs);
		function cleanup() {
			clearTimeout(timer);
			child.stdout?.off('data', onData);
			child.stderr?.off('data', onData);
		}
		child.stdout?.on('data', onData);
		child.stderr?.on('data', onData);
		child.exited.then(onExit);
	});
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

function isPortFree(port) {
	return new Promise((resolve) => {
		const server = net.createServer();
		server.unref();
		server.once('error', () => resolve(false));
		server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
	});
}

module.exports = { spawnManaged, stopChild, stopAll, run, waitForOutput, freePort, isPortFree, isRunning };
