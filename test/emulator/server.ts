import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

import { ADMIN_PREFIX, handleAdmin } from './admin';
import { delay } from './delay';
import { ApiError } from './errors';
import type { KnownKey } from './keys';
import { Exchange } from './exchange';
import { type FaultTarget, targetOf } from './faults';
import { checkVersion, type Product, resolveRoute, type Route } from './routes';
import type { ServiceContext } from './service-context';
import { ccaiThrottled } from './services/ccai';
import { verifySignedRequest } from './signature';
import type { FaultKind } from './types';
import { applyResponseFault, applyWireFault, RESPONSE_FAULTS } from './wire-faults';

function readBody(req: IncomingMessage): Promise<Buffer> {
	return new Promise((resolve, reject) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

function generalFaultKinds(product: Product, signed: boolean): FaultKind[] {
	const kinds: FaultKind[] = ['throttle', 'serverError', 'drop'];
	if (product === 'ccai') kinds.push('ccaiThrottle');
	// Both need an authenticated caller: a RAM decision, and the caller's secrets to echo.
	if (signed) kinds.push('forbidden', 'echoSecrets', ...RESPONSE_FAULTS);
	return kinds;
}

/** Returns true when a fault answered (or killed) the request. */
function applyGeneralFault(ex: Exchange, ctx: ServiceContext, route: Route, target: FaultTarget, caller?: KnownKey): boolean {
	const fault = ctx.state.faults.take(target, generalFaultKinds(route.product, caller !== undefined));
	if (!fault) return false;
	if (applyResponseFault(ex, fault)) return true;
	const retryAfter: Record<string, string> = fault.retryAfter ? { 'retry-after': fault.retryAfter } : {};
	switch (fault.kind) {
		case 'forbidden':
			ex.sendError(
				new ApiError(
					fault.status ?? 403,
					'Forbidden.RAM',
					"User not authorized to operate on the specified resource, or this API doesn't support RAM.",
				),
			);
			return true;
		case 'echoSecrets':
			// A misbehaving server that quotes what it was sent, to prove clients redact it.
			ex.sendError(
				new ApiError(
					fault.status ?? 400,
					'InvalidParameter',
					`The request is not valid. AccessKeySecret=${caller?.accessKeySecret ?? ''} SecurityToken=${ex.header('x-acs-security-token') ?? ''}`,
				),
			);
			return true;
		case 'drop':
			ex.drop();
			return true;
		case 'throttle':
			ex.sendError(
				new ApiError(fault.status ?? 400, 'Throttling.User', 'Request was denied due to user flow control.', 'pop', retryAfter),
			);
			return true;
		case 'ccaiThrottle':
			ex.sendError(ccaiThrottled());
			return true;
		default:
			ex.sendError(
				new ApiError(
					fault.status ?? 503,
					'ServiceUnavailable',
					'The request has failed due to a temporary failure of the server.',
					'pop',
					retryAfter,
				),
			);
			return true;
	}
}

async function serveApi(ex: Exchange, ctx: ServiceContext): Promise<void> {
	let route: Route;
	try {
		route = resolveRoute(ex);
	} catch (error) {
		await delay(ctx.state.latencyMs);
		throw error;
	}
	const target: FaultTarget = targetOf(ex);
	if (applyWireFault(ex, ctx, route, target)) return;
	await delay(ctx.state.latencyMs + (ctx.state.faults.take(target, ['latency'])?.latencyMs ?? 0));
	if (route.signed) {
		checkVersion(ex, route.version);
		// Faults come after authentication: a throttled or dropped request has used its nonce, as on the real gateway.
		const caller = verifySignedRequest(ex, ctx.state.nonces);
		if (applyGeneralFault(ex, ctx, route, target, caller)) return;
		await route.handler(ex, ctx, caller, route.params);
		return;
	}
	if (applyGeneralFault(ex, ctx, route, target)) return;
	await route.handler(ex, ctx);
}

function internalError(ex: Exchange, error: unknown): void {
	console.error('[emulator] handler failed:', error);
	if (ex.closed) {
		ex.res.destroy();
		return;
	}
	ex.sendError(
		new ApiError(500, 'InternalError', 'The request processing has failed due to some unknown error, exception or failure.'),
	);
}

export interface ServerHandle {
	server: Server;
	/** Filled in once the port is known. */
	setUrl(url: string, port: number): void;
}

export function createEmulatorServer(ctx: ServiceContext): ServerHandle {
	let url = 'http://127.0.0.1';
	let port = 0;

	// CallLogUrl and ossUrl point back at whatever host:port the client used, so a client in a container reaching us via a host alias can follow them.
	const baseUrlFor = (req: IncomingMessage): string => {
		const host = req.headers.host;
		return host && host.endsWith(`:${port}`) ? `http://${host}` : url;
	};

	const server = createServer({ noDelay: true, keepAlive: true }, (req: IncomingMessage, res: ServerResponse) => {
		const record = {
			method: (req.method ?? 'GET').toUpperCase(),
			path: '',
			query: {},
			headers: {},
			body: '',
			status: 0,
			at: Date.now(),
		};
		const ex = new Exchange(req, res, record, baseUrlFor(req));
		Object.assign(record, { path: ex.rawPath, query: ex.query, headers: ex.headers });
		const admin = ex.rawPath.startsWith(ADMIN_PREFIX);
		if (!admin) ctx.state.requests.push(record);

		readBody(req)
			.then(async (body) => {
				ex.setBody(body);
				if (admin) return handleAdmin(ex, ctx.state, url);
				await serveApi(ex, ctx);
			})
			.catch((error: unknown) => {
				if (error instanceof ApiError && !ex.closed) ex.sendError(error);
				else internalError(ex, error);
			});
	});
	return {
		server,
		setUrl(newUrl, newPort) {
			url = newUrl;
			port = newPort;
		},
	};
}
