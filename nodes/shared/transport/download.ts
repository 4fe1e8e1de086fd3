import type { ByteStream } from './byteStream';
import type { AlibabaClient } from './client';
import { ExchangeDeadline, ExchangeStopped, seconds, type StopReason } from './deadline';
import { type AlibabaErrorInfo, errorInfoFromResponse } from './errors';

export interface DownloadPolicy {
	/** Extra hosts the user trusts, exact (`files.example.com`) or wildcard (`*.example.com`). */
	allowedHosts: string[];
	maxBytes: number;
	/** Names the file in every error, e.g. `the call log of instance abc`. */
	what: string;
	/** Default DEFAULT_DOWNLOAD_LIMITS. */
	limits?: DownloadLimits;
}

export interface DownloadLimits {
	/** Longest silence while headers or body are awaited (the node's Timeout). */
	idleMs: number;
	/** The whole download, from the request to the last byte (the node's Download Deadline). */
	deadlineMs: number;
}

export const DEFAULT_MAX_DOWNLOAD_BYTES = 50 * 1024 * 1024;

export const DEFAULT_DOWNLOAD_DEADLINE_SECONDS = 300;

export const DEFAULT_DOWNLOAD_LIMITS: DownloadLimits = {
	idleMs: 60_000,
	deadlineMs: DEFAULT_DOWNLOAD_DEADLINE_SECONDS * 1000,
};

function hostMatches(host: string, pattern: string): boolean {
	const p = pattern.trim().toLowerCase();
	if (!p) return false;
	if (p.startsWith('*.')) return host.endsWith(p.slice(1)) && host.length > p.length - 1;
	return host === p;
}

function isAlibabaHost(host: string): boolean {
	return host === 'aliyuncs.com' || host.endsWith('.aliyuncs.com');
}

/**
 * The URL came out of an API answer, so it is not trusted: it must be HTTPS on an Alibaba
 * host or a host the user listed, or exactly an origin the user configured as an endpoint.
 */
export function checkDownloadUrl(rawUrl: string, policy: DownloadPolicy, trustedOrigins: string[]): URL | string {
	let url: URL;
	try {
		url = new URL(rawUrl);
	} catch {
		return `The URL of ${policy.what} is not a valid URL.`;
	}
	if (trustedOrigins.includes(url.origin)) return url;
	if (url.protocol !== 'https:') {
		return `The URL of ${policy.what} does not use HTTPS (${url.protocol}//${url.host}), so it was not downloaded.`;
	}
	const host = url.hostname.toLowerCase();
	if (isAlibabaHost(host) || policy.allowedHosts.some((pattern) => hostMatches(host, pattern))) return url;
	return `The URL of ${policy.what} points to ${host}, which is not an Alibaba Cloud host, so it was not downloaded. If you trust that host, add it to the node's "Allowed Download Hosts" option.`;
}

function megabytes(bytes: number): string {
	// Three significant digits, so a small limit does not read as "0 MB".
	return `${Number((bytes / 1024 / 1024).toPrecision(3))} MB`;
}

/** What the deadline's reason means for this download, with what to do about it. */
function stoppedInfo(reason: StopReason, policy: DownloadPolicy, operation: string, size: number): AlibabaErrorInfo {
	const limits = policy.limits ?? DEFAULT_DOWNLOAD_LIMITS;
	switch (reason) {
		case 'idle':
			return {
				code: 'DownloadStalled',
				message: `The download of ${policy.what} stalled after ${size} bytes: nothing arrived for longer than Timeout (${seconds(limits.idleMs)}); raise Timeout in the node's options, or run the node again.`,
				operation,
			};
		case 'deadline':
			return {
				code: 'DownloadTooSlow',
				message: `The download of ${policy.what} took longer than Download Deadline (${seconds(limits.deadlineMs)}) and was stopped after ${size} bytes; raise Download Deadline in the node's options, or run the node again.`,
				operation,
			};
		default:
			return { code: 'Cancelled', message: `The execution was cancelled while downloading ${policy.what}.`, operation };
	}
}

/**
 * Hands each chunk to `onChunk` as it arrives, failing once more than `maxBytes` have come, or
 * when the exchange's idle timeout, deadline or the execution's cancellation stops it.
 */
async function forEachChunkCapped(
	stream: ByteStream,
	policy: DownloadPolicy,
	client: AlibabaClient,
	operation: string,
	exchange: ExchangeDeadline,
	onChunk: (chunk: Buffer) => void,
): Promise<number> {
	let size = 0;
	const chunks = exchange.chunks(stream, (policy.limits ?? DEFAULT_DOWNLOAD_LIMITS).idleMs);
	try {
		for (;;) {
			let next: IteratorResult<Buffer>;
			try {
				next = await chunks.next();
			} catch (error) {
				if (error instanceof ExchangeStopped) return client.fail(stoppedInfo(error.reason, policy, operation, size));
				return client.fail({
					code: 'DownloadInterrupted',
					message: `The download of ${policy.what} broke off after ${size} bytes (${(error as Error).message}). Run the node again.`,
					operation,
				});
			}
			if (next.done) return size;
			size += next.value.length;
			if (size > policy.maxBytes) {
				client.fail({
					code: 'FileTooLarge',
					message: `${policy.what} is larger than the ${megabytes(policy.maxBytes)} limit. Raise the node's "Max Download Size (MB)" option if you expect files this big.`,
					operation,
				});
			}
			onChunk(next.value);
		}
	} finally {
		// Whatever stopped the loop (the cap, a consumer that refused the data), nothing more is read.
		await chunks.return(undefined);
		stream.destroy();
	}
}

async function readCapped(
	stream: ByteStream,
	policy: DownloadPolicy,
	client: AlibabaClient,
	operation: string,
	exchange: ExchangeDeadline,
) {
	const chunks: Buffer[] = [];
	const size = await forEachChunkCapped(stream, policy, client, operation, exchange, (chunk) => chunks.push(chunk));
	return Buffer.concat(chunks, size);
}

/** Checks the URL, GETs it and refuses error answers and declared sizes over the cap; returns the body stream. */
async function openDownload(
	client: AlibabaClient,
	rawUrl: string,
	policy: DownloadPolicy,
	operation: string,
	exchange: ExchangeDeadline,
	onDeclaredSize?: (bytes: number) => void,
) {
	const checked = checkDownloadUrl(rawUrl, policy, client.trustedOrigins());
	if (typeof checked === 'string') client.fail({ code: 'UntrustedUrl', message: checked, operation });

	const response = await client.getStream(operation, checked.toString(), exchange, (reason) =>
		client.fail(stoppedInfo(reason, policy, operation, 0)),
	);
	const status = response.statusCode;
	if (status >= 300) {
		const gone = status === 403 || status === 404 || status === 410;
		// OSS says why in its error XML (Code, Message, RequestId); the user and Alibaba support need those.
		const said = errorInfoFromResponse(operation, status, response.body, response.headers);
		const answer = said.code.startsWith('HTTP') ? `HTTP ${status}` : `HTTP ${status} ${said.code}: ${said.message}`;
		client.fail({
			code: gone ? 'FileUnavailable' : `HTTP${status}`,
			message: gone
				? `${policy.what} is not available (${answer}): its link has expired or the file was removed. Run the node again to get a fresh link; if it keeps failing, the file no longer exists.`
				: status < 400
					? `${policy.what} answered with a redirect (HTTP ${status}); redirects are not followed for untrusted links.`
					: `${policy.what} could not be downloaded (${answer}). Run the node again later.`,
			requestId: said.requestId,
			httpStatus: status,
			operation,
		});
	}
	const declared = Number(response.headers['content-length']);
	const stream = response.body as ByteStream;
	if (Number.isFinite(declared) && declared > policy.maxBytes) {
		stream.destroy();
		client.fail({
			code: 'FileTooLarge',
			message: `${policy.what} is ${megabytes(declared)}, larger than the ${megabytes(policy.maxBytes)} limit. Raise the node's "Max Download Size (MB)" option if you expect files this big.`,
			operation,
		});
	}
	if (Number.isFinite(declared) && declared > 0) onDeclaredSize?.(declared);
	return stream;
}

/**
 * One download's switch: its overall deadline starts now, and the execution's cancel signal
 * stops it; whichever fires destroys the socket (see deadline.ts).
 */
function startExchange(client: AlibabaClient, policy: DownloadPolicy): ExchangeDeadline {
	const limits = policy.limits ?? DEFAULT_DOWNLOAD_LIMITS;
	return new ExchangeDeadline(limits.deadlineMs, client.cancelSignal(), limits.idleMs);
}

/** Downloads and parses a JSON file from an untrusted URL, with a size cap, timeouts and clear errors. */
export async function downloadJson(client: AlibabaClient, rawUrl: string, policy: DownloadPolicy): Promise<unknown> {
	const operation = `Download of ${policy.what}`;
	const exchange = startExchange(client, policy);
	let bytes: Buffer;
	try {
		const stream = await openDownload(client, rawUrl, policy, operation, exchange);
		bytes = await readCapped(stream, policy, client, operation, exchange);
	} finally {
		exchange.finish();
	}
	try {
		return JSON.parse(bytes.toString('utf8'));
	} catch (error) {
		return client.fail({
			code: 'InvalidJson',
			message: `${policy.what} is not valid JSON (${(error as Error).message}). The file may be truncated or not a call log; run the node again to fetch it anew.`,
			operation,
		});
	}
}

/**
 * Like downloadJson, but hands each chunk to `onChunk` as it arrives, so a streaming parser
 * never needs the whole file in memory. `onChunk` may throw to stop the download.
 * `onDeclaredSize` hears the Content-Length before the first chunk, when the server sent one.
 */
export async function downloadStreaming(
	client: AlibabaClient,
	rawUrl: string,
	policy: DownloadPolicy,
	onChunk: (chunk: Buffer) => void,
	onDeclaredSize?: (bytes: number) => void,
): Promise<number> {
	const operation = `Download of ${policy.what}`;
	const exchange = startExchange(client, policy);
	try {
		const stream = await openDownload(client, rawUrl, policy, operation, exchange, onDeclaredSize);
		return await forEachChunkCapped(stream, policy, client, operation, exchange, onChunk);
	} finally {
		exchange.finish();
	}
}
