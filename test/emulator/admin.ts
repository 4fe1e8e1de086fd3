import type { Exchange } from './exchange';
import { FIXTURES } from './fixture-ids';
import { handleIceScriptAdmin } from './ice-script-admin';
import { EMULATOR_KEYS } from './keys';
import { RAM_ROLE_FIXTURES } from './services/ram-roles';
import type { EmulatorState } from './state';
import type { Fault } from './types';
import { checkedVariants } from './variants';

export const ADMIN_PREFIX = '/__emulator/';

/**
 * Lets a test runner in another process (e.g. n8n's) drive the emulator over HTTP.
 * No signature, no recording, no latency: these routes are plumbing, not Alibaba.
 */
export function handleAdmin(ex: Exchange, state: EmulatorState, url: string): void {
	const route = `${ex.method} ${ex.rawPath.slice(ADMIN_PREFIX.length - 1)}`;
	const body = (ex.json() ?? {}) as Record<string, unknown>;
	if (/^[A-Z]+ \/ice\//.test(route)) return handleIceScriptAdmin(ex, state, route);
	const ok = (extra: Record<string, unknown> = {}) => ex.sendJson(200, { ok: true, ...extra });
	const bad = (message: string) => ex.sendJson(400, { ok: false, error: message });

	switch (route) {
		case 'GET /health':
			return ok({ url });
		case 'GET /fixtures':
			return ok({ url, keys: EMULATOR_KEYS, fixtures: { ...FIXTURES, ramRole: RAM_ROLE_FIXTURES } });
		case 'GET /requests': {
			const action = ex.query.action;
			return ex.sendJson(200, action ? state.requests.filter((r) => r.action === action) : state.requests);
		}
		case 'GET /faults':
			return ok({ faults: state.faults.pending() });
		case 'POST /faults': {
			const input = ex.json();
			const list = Array.isArray(input) ? input : [input];
			try {
				for (const fault of list) {
					if (typeof fault !== 'object' || fault === null) throw new Error('a fault must be a JSON object');
					state.faults.add(fault as Fault);
				}
			} catch (error) {
				return bad((error as Error).message);
			}
			return ok({ faults: state.faults.pending() });
		}
		case 'POST /reset':
			state.reset();
			return ok();
		case 'POST /latency': {
			const ms = Number(body.ms);
			if (!Number.isFinite(ms) || ms < 0) return bad('ms must be a number >= 0');
			state.latencyMs = ms;
			return ok({ latencyMs: ms });
		}
		case 'POST /ccai-qps': {
			const qps = body.qps === null || body.qps === undefined ? undefined : Number(body.qps);
			if (qps !== undefined && !(qps >= 0)) return bad('qps must be a number >= 0 or null');
			state.ccaiQps = qps;
			state.ccaiWindow = [];
			return ok({ qps: qps ?? null });
		}
		case 'POST /ccai-stream-mode': {
			if (body.mode !== 'cumulative' && body.mode !== 'incremental') return bad('mode must be cumulative or incremental');
			state.ccaiStreamMode = body.mode;
			return ok({ mode: body.mode });
		}
		case 'GET /variants':
			return ok({ variants: state.variants });
		case 'POST /variants': {
			try {
				state.variants = { ...state.variants, ...checkedVariants(body) };
			} catch (error) {
				return bad((error as Error).message);
			}
			return ok({ variants: state.variants });
		}
		case 'POST /expire-stream-tokens':
			state.chatbot.revokeAll();
			return ok();
		case 'POST /sts': {
			// {lifetimeSeconds: n | null, ecsRoleName: string | null}; either may be left out.
			if ('lifetimeSeconds' in body) {
				const seconds = body.lifetimeSeconds === null ? undefined : Number(body.lifetimeSeconds);
				if (seconds !== undefined && !(seconds > 0)) return bad('lifetimeSeconds must be a number > 0 or null');
				state.sts.lifetimeSeconds = seconds;
			}
			if ('ecsRoleName' in body) state.sts.ecsRoleName = body.ecsRoleName === null ? null : String(body.ecsRoleName);
			return ok({ lifetimeSeconds: state.sts.lifetimeSeconds ?? null, ecsRoleName: state.sts.ecsRoleName });
		}
		case 'POST /sts/expire-issued-keys':
			state.sts.expireIssuedKeys();
			return ok();
		case 'GET /sts/calls':
			return ex.sendJson(200, state.sts.calls);
		default:
			return ex.sendJson(404, { ok: false, error: `no admin route ${route}` });
	}
}
