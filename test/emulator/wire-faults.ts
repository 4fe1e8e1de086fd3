import { gzipSync } from 'node:zlib';

import { delay } from './delay';
import type { Exchange } from './exchange';
import type { FaultTarget } from './faults';
import { FIXTURES } from './fixture-ids';
import type { Route } from './routes';
import type { ServiceContext } from './service-context';
import { ossHeaders, sendOssExpired, sendOssNoSuchKey } from './services/oss';
import type { Fault, FaultKind } from './types';

/** Faults that change how the answer travels, whatever the route: they fire before any work. */
const WIRE_FAULTS: readonly FaultKind[] = ['resetBeforeRequest', 'stallAfterHeaders', 'slowDrip'];

/** The file faults call logs know, applied to DianJin analysis files as well; gzipBomb to both. */
const FILE_FAULTS: readonly FaultKind[] = ['callLogMalformed', 'callLogHuge', 'callLogExpired', 'callLogNotFound'];

/** Faults that replace a signed API's answer after verification, as a broken gateway would. */
export const RESPONSE_FAULTS: readonly FaultKind[] = ['malformedJson', 'successFalse'];

let bomb: Buffer | undefined;

/**
 * 64 MiB of spaces gzip to about 64 KiB: small on the wire, big once inflated. Built once, on first
 * use; compressing blocks the process for a second, so timed tests build it beforehand.
 */
export function gzipBomb(): Buffer {
	bomb ??= gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20), { level: 9 });
	return bomb;
}

/** Headers go out, the body never does: the client has its answer "started" and waits. */
function stallBody(ex: Exchange): void {
	const res = ex.res;
	// writeHead() alone only stores the headers (headersSent is already true then); this sends them.
	const flush = () => res.flushHeaders();
	res.write = ((..._args: unknown[]) => {
		flush();
		return true;
	}) as typeof res.write;
	res.end = ((..._args: unknown[]) => {
		flush();
		return res;
	}) as typeof res.end;
}

/** The real body, `chunkBytes` at a time with `intervalMs` between pieces: never idle, always slow. */
function dripBody(ex: Exchange, chunkBytes: number, intervalMs: number): void {
	const res = ex.res;
	const write = res.write.bind(res) as (chunk: Buffer) => boolean;
	const end = res.end.bind(res) as () => void;
	const queue: Buffer[] = [];
	let ending = false;
	let pumping = false;
	const pump = async () => {
		if (pumping) return;
		pumping = true;
		res.flushHeaders();
		for (;;) {
			const next = queue.shift();
			if (!next) {
				if (ending) break;
				await delay(intervalMs);
				continue;
			}
			for (let offset = 0; offset < next.length; offset += chunkBytes) {
				if (res.destroyed) return;
				write(next.subarray(offset, offset + chunkBytes));
				await delay(intervalMs);
			}
		}
		if (!res.destroyed) end();
	};
	const take = (chunk: unknown) => {
		if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
		queue.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
	};
	res.write = ((chunk: unknown) => {
		take(chunk);
		void pump();
		return true;
	}) as typeof res.write;
	res.end = ((chunk?: unknown) => {
		take(chunk);
		ending = true;
		void pump();
		return res;
	}) as typeof res.end;
}

function applyFileFault(ex: Exchange, ctx: ServiceContext, target: FaultTarget): boolean {
	const kinds: FaultKind[] = ['gzipBomb'];
	if (ex.rawPath.startsWith('/dianjin/analysis/')) kinds.push(...FILE_FAULTS);
	const fault = ctx.state.faults.take(target, kinds);
	if (!fault) return false;
	switch (fault.kind) {
		case 'gzipBomb': {
			const body = gzipBomb();
			ex.writeHead(200, {
				'content-type': 'application/json',
				'content-encoding': 'gzip',
				'content-length': body.length,
				...ossHeaders(),
			});
			ex.res.end(body);
			return true;
		}
		case 'callLogExpired':
			sendOssExpired(ex, Math.floor(Date.now() / 1000) - 3600);
			return true;
		case 'callLogNotFound':
			sendOssNoSuchKey(ex, ex.rawPath.slice(1));
			return true;
		case 'callLogMalformed':
			ex.sendText(200, 'application/json', '{"sessionId":"cut","analysisResult":{"summary":"half', ossHeaders());
			return true;
		default: {
			// callLogHuge: the declared size alone is over any sane limit; the body follows until the client leaves.
			ex.writeHead(200, { 'content-type': 'application/json', 'content-length': FIXTURES.ice.hugeLogBytes, ...ossHeaders() });
			ex.res.write('{"padding":"');
			return true;
		}
	}
}

/**
 * Runs before latency, signature and handler. Returns true when the fault answered (or killed)
 * the request; stall and drip only change how the handler's answer is sent, so they return false.
 */
export function applyWireFault(ex: Exchange, ctx: ServiceContext, route: Route, target: FaultTarget): boolean {
	if (route.product === 'oss' && applyFileFault(ex, ctx, target)) return true;
	const fault = ctx.state.faults.take(target, WIRE_FAULTS);
	if (!fault) return false;
	switch (fault.kind) {
		case 'resetBeforeRequest': {
			// The service never saw it: not recorded, no nonce used, nothing billed.
			const index = ctx.state.requests.indexOf(ex.record);
			if (index !== -1) ctx.state.requests.splice(index, 1);
			ex.drop();
			return true;
		}
		case 'stallAfterHeaders':
			stallBody(ex);
			break;
		default:
			dripBody(ex, fault.chunkBytes ?? 16, fault.intervalMs ?? 100);
			break;
	}
	// Shows tests when the client gave up and closed the socket.
	ex.res.once('close', () => {
		ex.record.closedAt = Date.now();
	});
	return false;
}

/** Answers a signed request with a broken body; returns false for other kinds. */
export function applyResponseFault(ex: Exchange, fault: Fault): boolean {
	switch (fault.kind) {
		case 'malformedJson':
			ex.sendText(200, 'application/json;charset=utf-8', `{"RequestId":"${ex.requestId}","Data":{"Items":[{"Id":`);
			return true;
		case 'successFalse':
			ex.sendJson(200, {
				requestId: ex.requestId,
				RequestId: ex.requestId,
				success: false,
				code: 'InternalError',
				errorCode: 'InternalError',
				message: 'The request processing has failed due to some unknown error.',
				errorInfo: 'The request processing has failed due to some unknown error.',
			});
			return true;
		default:
			return false;
	}
}
