import type { AddressInfo } from 'node:net';

import { FIXTURES } from './fixture-ids';
import { createEmulatorServer } from './server';
import type { ServiceContext } from './service-context';
import { buildDianjinData } from './services/dianjin-data';
import { buildIceData } from './services/ice-data';
import { IceScript } from './services/ice-script';
import { EmulatorState } from './state';
import type { Emulator, EmulatorOptions } from './types';
import { checkedVariants } from './variants';

export { FIXTURES } from './fixture-ids';
export { EMULATOR_KEYS } from './keys';
export { RAM_ROLE_FIXTURES } from './services/ram-roles';
export type {
	CcaiStreamMode,
	Emulator,
	EmulatorOptions,
	Fault,
	FaultKind,
	FaultMatch,
	RecordedRequest,
} from './types';
export { type ApiVariants, DEFAULT_VARIANTS } from './variants';
export type { BulkCalls, CallUpdate, ScriptedCall, ScriptedCallView } from './services/ice-script';

/** Starts the local Alibaba Cloud emulator on 127.0.0.1 (never on other interfaces). */
export async function startEmulator(opts: EmulatorOptions = {}): Promise<Emulator> {
	const state = new EmulatorState(opts.latencyMs ?? 0);
	const ctx: ServiceContext = {
		state,
		ice: buildIceData(opts.instancesPerAgent ?? FIXTURES.ice.defaultInstancesPerAgent),
		dianjin: buildDianjinData(),
	};
	state.iceScript = new IceScript(ctx.ice, opts.instancesPerAgent ?? FIXTURES.ice.defaultInstancesPerAgent);
	const handle = createEmulatorServer(ctx);
	await new Promise<void>((resolve, reject) => {
		handle.server.once('error', reject);
		handle.server.listen(opts.port ?? 0, '127.0.0.1', () => {
			handle.server.off('error', reject);
			resolve();
		});
	});
	const port = (handle.server.address() as AddressInfo).port;
	const url = `http://127.0.0.1:${port}`;
	handle.setUrl(url, port);

	return {
		url,
		port,
		get requests() {
			return state.requests;
		},
		countCalls: (part) => state.requests.filter((r) => r.action === part || r.path.includes(part)).length,
		setLatency: (ms) => {
			state.latencyMs = ms;
		},
		addFault: (fault) => {
			state.faults.add(fault);
		},
		clearFaults: () => state.faults.clear(),
		setCcaiQpsLimit: (qps) => {
			state.ccaiQps = qps;
			state.ccaiWindow = [];
		},
		setCcaiStreamMode: (mode) => {
			state.ccaiStreamMode = mode;
		},
		expireStreamTokens: () => state.chatbot.revokeAll(),
		setVariants: (variants) => {
			state.variants = { ...state.variants, ...checkedVariants(variants) };
		},
		get variants() {
			return state.variants;
		},
		sts: state.sts,
		ice: state.iceScript,
		reset: () => state.reset(),
		close: () =>
			new Promise<void>((resolve, reject) => {
				handle.server.close((error) => (error ? reject(error) : resolve()));
				// Keep-alive and half-read streams would otherwise hold close() open.
				handle.server.closeAllConnections();
			}),
	};
}
