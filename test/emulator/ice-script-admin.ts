import type { Exchange } from './exchange';
import type { CallUpdate, ScriptedCall } from './services/ice-script';
import type { EmulatorState } from './state';

/**
 * `/__emulator/ice/…`: scripted ICE time for test runners in another process (n8n's e2e,
 * the queue-mode test). See README "Scripted ICE calls".
 */
export function handleIceScriptAdmin(ex: Exchange, state: EmulatorState, route: string): void {
	const script = state.iceScript;
	const body = (ex.json() ?? {}) as Record<string, unknown>;
	const ok = (extra: Record<string, unknown> = {}) => ex.sendJson(200, { ok: true, ...extra });
	const bad = (message: string) => ex.sendJson(400, { ok: false, error: message });
	if (!script) return bad('the ICE data is not ready');
	const agentId = typeof body.agentId === 'string' ? body.agentId : '';
	const calls = (Array.isArray(body.calls) ? body.calls : []) as ScriptedCall[];
	try {
		switch (route) {
			case 'GET /ice/calls':
				if (!ex.query.agentId) return bad('agentId is required');
				return ok({ calls: script.calls(ex.query.agentId) });
			case 'POST /ice/calls':
				if (!agentId) return bad('agentId is required');
				return ok({ ids: script.addCalls(agentId, calls) });
			case 'POST /ice/calls/update': {
				const ids = Array.isArray(body.ids) ? (body.ids as string[]) : [String(body.id ?? '')];
				for (const id of ids) script.updateCall(id, body as CallUpdate);
				return ok({ updated: ids.length });
			}
			case 'POST /ice/bulk':
				if (!agentId) return bad('agentId is required');
				return ok(script.addBulk({ ...(body as object), agentId, count: Number(body.count) }));
			case 'POST /ice/insert-before-list':
				if (!agentId) return bad('agentId is required');
				script.insertBeforeList(agentId, Number(body.listRequest ?? 1), calls);
				return ok();
			default:
				return ex.sendJson(404, { ok: false, error: `no admin route ${route}` });
		}
	} catch (error) {
		return bad((error as Error).message);
	}
}
