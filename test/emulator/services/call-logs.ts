import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { md5Hex } from '../deterministic';
import type { Exchange } from '../exchange';
import { FIXTURES } from '../fixture-ids';
import type { ServiceContext } from '../service-context';
import type { FaultKind } from '../types';
import { targetOf } from '../faults';
import type { ApiVariants } from '../variants';
import type { CallLogSource, IceInstance } from './ice-data';
import { ossHeaders, sendOssExpired, sendOssNoSuchKey, signedObjectUrl, signedUrlExpired } from './oss';

interface CallLogSentence {
	id: number;
	begin: number;
	role: 'agent' | 'user';
	type: 'greeting' | 'normal';
	text: string;
}

const SEED_LOG = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'call-log-seed.json'), 'utf8')) as {
	dialog: CallLogSentence[];
} & Record<string, unknown>;

const CALL_LOG_FAULTS: readonly FaultKind[] = ['callLogMalformed', 'callLogHuge', 'callLogExpired', 'callLogNotFound'];
const MAX_GENERATED_SENTENCES = 5_000_000;
const WRITE_BATCH_BYTES = 64 * 1024;

/** The object key of an opaque-layout log: nothing in it names the instance. */
function opaqueKey(instanceId: string): string {
	return md5Hex(`${instanceId}:calllog-object`);
}

export function callLogPath(instanceId: string, layout: ApiVariants['iceCallLogLayout'] = 'calllogs'): string {
	const id = encodeURIComponent(instanceId);
	switch (layout) {
		case 'sdk':
			return `/call_logs/${id}.json`;
		case 'folder':
			return `/ai-agent/${id}/calllog.json`;
		case 'opaque':
			return `/ai-agent/logs/${opaqueKey(instanceId)}.json`;
		default:
			return `/calllogs/${id}.json`;
	}
}

/** Whether a request path is one of the call-log layouts (see variants.ts). */
export function isCallLogPath(path: string): boolean {
	return path.startsWith('/calllogs/') || path.startsWith('/call_logs/') || path.startsWith('/ai-agent/');
}

export function callLogUrlFor(
	instance: IceInstance,
	baseUrl: string,
	layout: ApiVariants['iceCallLogLayout'] = 'calllogs',
): string {
	if (instance.callLog.kind === 'none' || (instance.status !== 'Finished' && !instance.urlWhileRunning)) return '';
	const origin =
		instance.callLog.kind === 'offsite' ? (instance.callLog.origin ?? baseUrl.replace(/^http:/, 'https:')) : baseUrl;
	return signedObjectUrl(origin, callLogPath(instance.id, layout));
}

/** The instance id a call-log path stands for, in any layout; undefined when it is none of them. */
function idFromCallLogPath(ctx: ServiceContext, rawPath: string): string | undefined {
	const direct = /^\/(?:calllogs|call_logs)\/([^/]+)\.json$/.exec(rawPath) ?? /^\/ai-agent\/([^/]+)\/calllog\.json$/.exec(rawPath);
	if (direct) return decodeURIComponent(direct[1]);
	const opaque = /^\/ai-agent\/logs\/([0-9a-f]{32})\.json$/.exec(rawPath);
	if (!opaque) return undefined;
	for (const id of ctx.ice.instances.keys()) if (opaqueKey(id) === opaque[1]) return id;
	return undefined;
}

function logHeader(instance: Pick<IceInstance, 'id' | 'createdAt'>): Record<string, unknown> {
	return {
		instanceid: instance.id,
		startTime: instance.createdAt / 1000 + 0.2456193,
		agentUserId: `AGENT_USER${md5Hex(`${instance.id}:agent`).slice(0, 24)}`,
		remoteUserId: String(200000000 + (parseInt(md5Hex(instance.id).slice(0, 6), 16) % 99999999)),
	};
}

function generatedSentence(instanceId: string, index: number): CallLogSentence {
	const begin = Math.round((1.5 + index * 4.25) * 1000) / 1000;
	if (index === 0) {
		return { id: 1, begin, role: 'agent', type: 'greeting', text: `您好，这里是模拟客服小云，本次通话编号${instanceId.slice(0, 6)}。` };
	}
	const role = index % 2 === 1 ? 'user' : 'agent';
	const text =
		role === 'user'
			? `第${Math.ceil(index / 2)}个问题：我想了解一下订单的情况。`
			: `好的，关于第${index / 2}个问题，我已经帮您查到了，请放心。`;
	return { id: index + 1, begin, role, type: 'normal', text };
}

/** A long but valid sentence, used to make the over-size log. */
function paddedSentence(index: number): CallLogSentence {
	return {
		id: index + 1,
		begin: index * 3,
		role: index % 2 === 0 ? 'agent' : 'user',
		type: index === 0 ? 'greeting' : 'normal',
		text: `超长内容${index}：` + '这是一段用于撑大通话记录文件体积的文字。'.repeat(200),
	};
}

/** A reader that hung up never drains, so waiting for 'drain' alone would leak. */
function drainOrClose(ex: Exchange): Promise<void> {
	return new Promise((resolve) => {
		const done = () => {
			ex.res.off('drain', done);
			ex.res.off('close', done);
			resolve();
		};
		ex.res.once('drain', done);
		ex.res.once('close', done);
	});
}

/**
 * Streams `{...header, "dialog":[...]}` without building it in memory, with an exact
 * Content-Length like OSS sends, so size limits and memory use can both be tested.
 */
async function streamCallLog(
	ex: Exchange,
	header: Record<string, unknown>,
	count: number,
	sentence: (index: number) => CallLogSentence,
): Promise<void> {
	const prefix = JSON.stringify({ ...header, dialog: [] }).slice(0, -2);
	const suffix = ']}';
	let length = Buffer.byteLength(prefix) + Buffer.byteLength(suffix) + Math.max(0, count - 1);
	for (let i = 0; i < count; i++) length += Buffer.byteLength(JSON.stringify(sentence(i)));

	ex.writeHead(200, { 'content-type': 'application/json', 'content-length': length, ...ossHeaders() });
	let batch = prefix;
	for (let i = 0; i < count; i++) {
		batch += (i > 0 ? ',' : '') + JSON.stringify(sentence(i));
		if (batch.length >= WRITE_BATCH_BYTES / 3) {
			if (ex.res.destroyed) return;
			if (!ex.res.write(batch)) await drainOrClose(ex);
			batch = '';
		}
	}
	ex.res.end(batch + suffix);
}

function hugeSentenceCount(): number {
	const one = Buffer.byteLength(JSON.stringify(paddedSentence(0))) + 1;
	return Math.ceil(FIXTURES.ice.hugeLogBytes / one) + 1;
}

/** The log's own `instanceid` is left out when the variant says logs do not carry it. */
function withoutId(header: Record<string, unknown>, keep: boolean): Record<string, unknown> {
	if (keep) return header;
	const { instanceid: _dropped, ...rest } = header;
	return rest;
}

async function serveSource(ex: Exchange, ctx: ServiceContext, instance: IceInstance, source: CallLogSource): Promise<void> {
	const key = ex.rawPath.slice(1);
	const keepId = ctx.state.variants.iceCallLogHasInstanceId;
	switch (source.kind) {
		case 'seed':
			ex.sendJson(200, withoutId({ ...SEED_LOG, instanceid: instance.id }, keepId), ossHeaders());
			return;
		case 'generated':
			await streamCallLog(ex, withoutId(logHeader(instance), keepId), source.sentences, (i) => generatedSentence(instance.id, i));
			return;
		case 'big':
			await streamCallLog(ex, withoutId(logHeader(instance), keepId), source.sentences, (i) => generatedSentence(instance.id, i));
			return;
		case 'outOfOrder': {
			const { sentences } = source;
			const swapped = (i: number) => ((i ^ 1) < sentences ? i ^ 1 : i);
			await streamCallLog(ex, withoutId(logHeader(instance), keepId), sentences, (i) => generatedSentence(instance.id, swapped(i)));
			return;
		}
		case 'huge':
			await streamCallLog(ex, logHeader(instance), hugeSentenceCount(), paddedSentence);
			return;
		case 'malformed': {
			// Cut mid-object, as a truncated upload would leave it.
			const text = JSON.stringify({ ...logHeader(instance), dialog: [generatedSentence(instance.id, 0)] }).slice(0, -30);
			ex.sendText(200, 'application/json', text, ossHeaders());
			return;
		}
		case 'expired':
			sendOssExpired(ex, Math.floor(Date.now() / 1000) - 3600);
			return;
		case 'missing':
		case 'none':
		case 'offsite':
			sendOssNoSuchKey(ex, key);
			return;
	}
}

const FAULT_SOURCES: Record<string, CallLogSource> = {
	callLogMalformed: { kind: 'malformed' },
	callLogHuge: { kind: 'huge' },
	callLogExpired: { kind: 'expired' },
	callLogNotFound: { kind: 'missing' },
};

/** `big-<N>`: a finished call whose log has N generated sentences, for size benches (Describe knows it too). */
export function bigInstance(ctx: ServiceContext, id: string): IceInstance | undefined {
	const big = /^big-(\d+)$/.exec(id);
	if (!big) return undefined;
	return {
		...ctx.ice.instances.get(FIXTURES.ice.bigInstanceId)!,
		id,
		callLog: { kind: 'big', sentences: Math.min(Number(big[1]), MAX_GENERATED_SENTENCES) },
	};
}

/** GET /calllogs/<instanceId>.json and GET /calllogs/big-<N>.json. */
export async function serveCallLog(ex: Exchange, ctx: ServiceContext): Promise<void> {
	const id = idFromCallLogPath(ctx, ex.rawPath) ?? '';
	if (ex.method !== 'GET' && ex.method !== 'HEAD') {
		sendOssNoSuchKey(ex, ex.rawPath.slice(1));
		return;
	}
	const expiredAt = signedUrlExpired(ex);
	if (expiredAt !== undefined) {
		sendOssExpired(ex, expiredAt);
		return;
	}
	const instance: IceInstance | undefined = ctx.ice.instances.get(id) ?? bigInstance(ctx, id);
	if (!instance) {
		sendOssNoSuchKey(ex, ex.rawPath.slice(1));
		return;
	}
	if (ctx.state.iceScript?.logUnavailable(instance)) {
		sendOssNoSuchKey(ex, ex.rawPath.slice(1));
		return;
	}
	const fault = ctx.state.faults.take(targetOf(ex), CALL_LOG_FAULTS);
	await serveSource(ex, ctx, instance, fault ? FAULT_SOURCES[fault.kind] : instance.callLog);
}
