import { EMULATOR_KEYS, FIXTURES, startEmulator } from './index';

function portFromArgs(argv: string[]): number | undefined {
	const i = argv.findIndex((a) => a === '--port' || a.startsWith('--port='));
	if (i === -1) return undefined;
	const raw = argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
	const port = Number(raw);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port needs a number 0-65535, got ${raw}`);
	return port;
}

function numberEnv(name: string): number | undefined {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return undefined;
	const n = Number(raw);
	if (!Number.isFinite(n)) throw new Error(`${name} must be a number, got ${raw}`);
	return n;
}

async function main(): Promise<void> {
	const port = portFromArgs(process.argv.slice(2)) ?? numberEnv('EMULATOR_PORT') ?? 9000;
	const emulator = await startEmulator({
		port,
		latencyMs: numberEnv('EMULATOR_LATENCY_MS'),
		// The end-to-end test restarts the emulator with more calls to prove a watermark picks up only new ones.
		instancesPerAgent: numberEnv('EMULATOR_INSTANCES_PER_AGENT'),
	});
	const rows: Array<[string, string]> = [
		['URL (every endpoint)', emulator.url],
		['AccessKey ID / Secret', `${EMULATOR_KEYS.accessKeyId} / ${EMULATOR_KEYS.accessKeySecret}`],
		['STS AccessKey ID', EMULATOR_KEYS.sts.accessKeyId],
		['STS Secret', EMULATOR_KEYS.sts.accessKeySecret],
		['STS Token', EMULATOR_KEYS.sts.securityToken],
		['ICE agent (23 calls)', FIXTURES.ice.agentId],
		['ICE agent (200 calls)', FIXTURES.ice.benchAgentId],
		['ICE agent (broken logs)', FIXTURES.ice.mixedAgentId],
		['ICE instance (seed log)', FIXTURES.ice.seedInstanceId],
		['ICE instance (executing)', FIXTURES.ice.executingInstanceId],
		['ICE session (45 lines)', FIXTURES.ice.sessionId],
		['Chatbot instance', FIXTURES.chatbot.instanceId],
		['CCAI workspace / app', `${FIXTURES.ccai.workspaceId} / ${FIXTURES.ccai.appId}`],
		['DianJin workspace', FIXTURES.dianjin.workspaceId],
		['DianJin session', FIXTURES.dianjin.completedSessionId],
		['Admin API', `${emulator.url}/__emulator/{health,fixtures,requests,faults,reset,latency}`],
	];
	const width = Math.max(...rows.map(([k]) => k.length));
	console.log(`Alibaba Cloud emulator listening on ${emulator.url}`);
	for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);

	const stop = (signal: string) => {
		console.log(`\n${signal}: stopping emulator`);
		emulator.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.once('SIGINT', () => stop('SIGINT'));
	process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
