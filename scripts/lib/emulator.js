'use strict';

const { ROOT, TSX_CLI, EMULATOR_CLI } = require('./paths');
const { spawnManaged, waitForOutput, stopChild } = require('./proc');

/**
 * Starts the local Alibaba Cloud emulator (test/emulator/cli.ts) as a child process.
 * `port: 0` lets the OS choose; the URL is read from the emulator's banner.
 */
async function startEmulatorProcess({ port = 0, latencyMs, instancesPerAgent, echo } = {}) {
	const env = { ...process.env };
	delete env.EMULATOR_PORT;
	if (latencyMs !== undefined) env.EMULATOR_LATENCY_MS = String(latencyMs);
	if (instancesPerAgent !== undefined) env.EMULATOR_INSTANCES_PER_AGENT = String(instancesPerAgent);
	else delete env.EMULATOR_INSTANCES_PER_AGENT;
	const child = spawnManaged(process.execPath, [TSX_CLI, EMULATOR_CLI, '--port', String(port)], { cwd: ROOT, env });
	let banner = '';
	const collect = (chunk) => {
		banner += chunk;
		echo?.(chunk);
	};
	child.stdout.on('data', collect);
	child.stderr.on('data', collect);
	const match = await waitForOutput(child, /listening on (http:\/\/127\.0\.0\.1:\d+)/, 60000, 'The emulator');
	const url = match[1];
	const admin = async (method, route, body) => {
		const response = await fetch(`${url}/__emulator/${route}`, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`emulator ${method} ${route}: ${response.status} ${text}`);
		return text ? JSON.parse(text) : undefined;
	};
	return {
		url,
		child,
		banner: () => banner,
		/** The emulator's admin API (`/__emulator/<route>`), for scripted ICE calls and the like. */
		admin,
		reset: () => admin('POST', 'reset'),
		requests: (action) => admin('GET', action ? `requests?action=${encodeURIComponent(action)}` : 'requests'),
		addFaults: (faults) => admin('POST', 'faults', faults),
		fixtures: () => admin('GET', 'fixtures'),
		stop: () => stopChild(child, 5000),
	};
}

module.exports = { startEmulatorProcess };
