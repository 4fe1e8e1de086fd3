import {
	type ICredentialDataDecryptedObject,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type IPollFunctions,
	type ISupplyDataFunctions,
	type IWebhookFunctions,
} from 'n8n-workflow';

import { encodePath, type QueryValue } from '../../../credentials/common/acs3Signature';
import { type AlibabaService, customEndpointOrigins, serviceBaseUrl } from './endpoints';
import {
	AlibabaCallError,
	type AlibabaErrorInfo,
	errorInfoFromResponse,
	redact,
	requestIdFromHeaders,
	toNodeApiError,
} from './errors';
import {
	DEFAULT_MAX_RETRY_AFTER_MS,
	DEFAULT_RETRY_POLICY,
	type Delivery,
	isTimeoutCode,
	isTransientApiError,
	mayRetry,
	parseRetryAfter,
	retryDelay,
	type RetryPolicy,
	waitBeforeRetry,
} from './retry';
import { readSseEvents, type SseEvent } from './sse';
import { type ByteStream, isByteStream } from './byteStream';
import { ACCESS_KEY_CREDENTIAL, CredentialBinding } from './credentialBinding';
import { ExchangeDeadline, ExchangeStopped, seconds } from './deadline';
import type { RateLimiter } from './rateLimiter';

/** The default; a node's "Authentication" parameter may pick the RAM role credential instead. */
export const CREDENTIAL_TYPE = ACCESS_KEY_CREDENTIAL;

export type AlibabaContext = IExecuteFunctions | ISupplyDataFunctions | IWebhookFunctions | IPollFunctions;

export interface RpcCall {
	service: AlibabaService;
	action: string;
	version: string;
	params?: Record<string, QueryValue>;
	/** Default: `atMostOnce` for the billed actions in BILLED_ACTIONS, else `idempotent`. */
	delivery?: Delivery;
}

export interface RoaCall {
	service: AlibabaService;
	action: string;
	version: string;
	method: IHttpRequestMethods;
	/** Raw path segments; each is percent-encoded here, so ids with `/` or spaces stay one segment. */
	path: string[];
	query?: Record<string, QueryValue>;
	body?: IDataObject;
	/** Default: `atMostOnce` for the billed actions in BILLED_ACTIONS, else `idempotent`. */
	delivery?: Delivery;
}

export interface ClientOptions {
	retry?: Partial<RetryPolicy>;
	/** Wait for an answer to start, and the longest silence inside a streamed answer. */
	timeoutMs?: number;
	/** Every attempt, retries included, takes a turn: a throttled retry must not add load above the cap. */
	limiter?: RateLimiter;
}

export const DEFAULT_TIMEOUT_MS = 60_000;

/** Billed per call: a repeat after the service may have processed one costs money twice. */
const BILLED_ACTIONS = new Set(['ccai:AnalyzeConversation']);

function deliveryOf(service: AlibabaService, action: string, explicit?: Delivery): Delivery {
	return explicit ?? (BILLED_ACTIONS.has(`${service}:${action}`) ? 'atMostOnce' : 'idempotent');
}

interface SendHow {
	authenticated: boolean;
	delivery: Delivery;
	/** Hand back 4xx answers that will not heal instead of failing (downloads word them themselves). */
	returnErrorResponses?: boolean;
	/** An exchange of its own (downloads); otherwise the execution's cancel signal. */
	exchange?: ExchangeDeadline;
	/** Says why the exchange's deadline or idle timeout stopped the request. */
	onStopped?: (reason: 'deadline' | 'idle') => never;
	/** Hand back an HTML answer whatever its status (alime-ws refuses a stream URL with one). */
	returnHtml?: boolean;
}

interface RawResponse {
	statusCode: number;
	headers: Record<string, string | string[] | undefined>;
	body: unknown;
}

const PRODUCT_NAMES: Record<AlibabaService, string> = {
	ice: 'ICE',
	chatbot: 'Chatbot',
	chatbotStream: 'Chatbot stream',
	ccai: 'ContactCenterAI',
	dianjin: 'DianJin',
	sts: 'STS',
};

function header(headers: RawResponse['headers'], name: string): string | undefined {
	const value = headers[name] ?? headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/**
 * Reads at most `limit` bytes of an error response; the rest is not worth waiting for, and a
 * body that stalls is cut off after `idleMs` with what arrived so far.
 */
async function readSmall(stream: ByteStream, idleMs: number, cancel?: AbortSignal, limit = 65536): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	const exchange = new ExchangeDeadline(undefined, cancel);
	try {
		for await (const buffer of exchange.chunks(stream, idleMs)) {
			chunks.push(buffer);
			size += buffer.length;
			if (size >= limit) break;
		}
	} catch {
		// A broken or stalled error body still leaves its status and what arrived of it.
	}
	return Buffer.concat(chunks).toString('utf8');
}

function parseMaybeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

/** Finds the low-level cause (`ECONNRESET`, timeouts) that n8n wraps inside its own error. */
function networkErrorInfo(operation: string, error: unknown): AlibabaErrorInfo {
	let cause: unknown = error;
	for (let depth = 0; depth < 4 && cause; depth++) {
		// n8n's NodeApiError drops the original error and keeps its network code in `httpCode`.
		const { code, httpCode } = cause as { code?: unknown; httpCode?: unknown };
		for (const candidate of [code, httpCode]) {
			if (typeof candidate === 'string' && /^E[A-Z_]+$/.test(candidate)) {
				return { code: candidate, message: (cause as Error).message || candidate, operation };
			}
		}
		cause = (cause as { cause?: unknown }).cause;
	}
	const message = error instanceof Error ? error.message : String(error);
	return { code: 'RequestFailed', message, operation };
}

/** Timers and sockets fire within a few ms of each other; a failure this close to Timeout is the timeout. */
const TIMER_TOLERANCE_MS = 25;

/**
 * axios reports a body cut off mid-way as `ERR_BAD_RESPONSE: stream has been aborted`, whether the
 * server reset the connection or the socket timed out in silence. Said as what it is, the retry
 * policy and the message treat it like the reset or the timeout it was.
 */
function abortedBody(info: AlibabaErrorInfo, silentTooLong: boolean): AlibabaErrorInfo {
	if (info.code !== 'ERR_BAD_RESPONSE' || !/aborted/i.test(info.message)) return info;
	return { ...info, code: silentTooLong ? 'ETIMEDOUT' : 'ECONNRESET' };
}

/**
 * One client per node execution: it reads the credential once, signs through the
 * credential's `authenticate`, retries what is transient, and turns every failure into an
 * n8n error that names the call and never carries a secret.
 */
export class AlibabaClient {
	private readonly learnedSecrets: string[] = [];

	private readonly policy: RetryPolicy;

	readonly credentials: ICredentialDataDecryptedObject;

	private constructor(
		private readonly ctx: AlibabaContext,
		readonly binding: CredentialBinding,
		private readonly options: ClientOptions,
	) {
		this.credentials = binding.credentials;
		this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
	}

	static async create(ctx: AlibabaContext, options: ClientOptions = {}): Promise<AlibabaClient> {
		return new AlibabaClient(ctx, await CredentialBinding.load(ctx), options);
	}

	/** Read at use: a RAM role's temporary key changes when it is renewed mid-execution. */
	private get secrets(): string[] {
		return [...this.binding.secrets(), ...this.learnedSecrets];
	}

	/** Values learned at run time (stream tokens, signs) that must not reach an error either. */
	addSecret(...values: Array<string | undefined>): void {
		for (const value of values) if (value) this.learnedSecrets.push(value);
	}

	redact(text: string): string {
		return redact(text, this.secrets);
	}

	baseUrl(service: AlibabaService): string {
		return serviceBaseUrl(this.credentials, service);
	}

	trustedOrigins(): string[] {
		return customEndpointOrigins(this.credentials);
	}

	fail(info: AlibabaErrorInfo): never {
		throw toNodeApiError(this.ctx.getNode(), info, this.secrets);
	}

	operationName(service: AlibabaService, action: string): string {
		return `Alibaba Cloud ${PRODUCT_NAMES[service]} ${action}`;
	}

	/** The Timeout this client waits with, in ms. */
	get timeoutMs(): number {
		return this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	}

	/** n8n's signal for "the user cancelled this execution"; webhook contexts have none. */
	cancelSignal(): AbortSignal | undefined {
		const ctx = this.ctx as { getExecutionCancelSignal?: () => AbortSignal | undefined };
		return typeof ctx.getExecutionCancelSignal === 'function' ? ctx.getExecutionCancelSignal() : undefined;
	}

	failIfCancelled(operation: string): void {
		if (this.cancelSignal()?.aborted) {
			this.fail({ code: 'Cancelled', message: 'The execution was cancelled; nothing more was sent.', operation });
		}
	}

	/** RPC style: parameters in the query, POST `/`, empty body. */
	async rpc<T = IDataObject>(call: RpcCall): Promise<T> {
		const response = await this.send(
			this.operationName(call.service, call.action),
			{
				method: 'POST',
				url: `${this.baseUrl(call.service)}/`,
				qs: call.params as IDataObject,
				headers: { 'x-acs-action': call.action, 'x-acs-version': call.version },
				json: true,
			},
			{ authenticated: true, delivery: deliveryOf(call.service, call.action, call.delivery) },
		);
		return this.refuseFailure(this.operationName(call.service, call.action), response) as T;
	}

	/** Some gateways answer HTTP 200 with `success: false`; that is an error, whatever the call's style. */
	private refuseFailure(operation: string, response: RawResponse): unknown {
		const body = response.body as IDataObject;
		if (body && typeof body === 'object' && body.success === false) {
			this.fail(errorInfoFromResponse(operation, response.statusCode, body, response.headers));
		}
		return body;
	}

	/** ROA style: REST path, optional query and JSON body. A `success: false` body is an error too. */
	async roa<T = IDataObject>(call: RoaCall): Promise<T> {
		const operation = this.operationName(call.service, call.action);
		const response = await this.send(operation, this.roaOptions(call), this.roaHow(call));
		return this.refuseFailure(operation, response) as T;
	}

	/** ROA call whose answer is `text/event-stream`; yields events as they arrive. */
	async roaEvents(call: RoaCall): Promise<AsyncGenerator<SseEvent>> {
		const operation = this.operationName(call.service, call.action);
		const response = await this.send(operation, { ...this.roaOptions(call), encoding: 'stream' }, this.roaHow(call));
		if ((header(response.headers, 'content-type') ?? '').includes('text/html')) {
			if (isByteStream(response.body)) response.body.destroy();
			this.fail({
				code: 'HtmlInsteadOfStream',
				message: `The service answered HTTP ${response.statusCode} with a web page instead of an event stream, so no result arrived. A proxy or gateway between n8n and Alibaba Cloud may have answered: check the credential's custom endpoint, then run the node again.`,
				requestId: requestIdFromHeaders(response.headers),
				httpStatus: response.statusCode,
				operation,
			});
		}
		return this.eventsOf(operation, response);
	}

	/**
	 * An unsigned POST whose answer is an event stream (the chatbot's URL carries its own auth).
	 * It posts a message into a conversation, so it is sent at most once (see `Delivery`).
	 */
	async postForEvents(
		operation: string,
		url: string,
		body: IDataObject,
		onHtml: () => AlibabaErrorInfo,
	): Promise<AsyncGenerator<SseEvent>> {
		const response = await this.send(
			operation,
			{
				method: 'POST',
				url,
				body,
				json: true,
				headers: { accept: 'text/event-stream', 'content-type': 'application/json' },
				encoding: 'stream',
			},
			{ authenticated: false, delivery: 'atMostOnce', returnHtml: true },
		);
		const contentType = header(response.headers, 'content-type') ?? '';
		if (contentType.includes('text/html')) {
			if (isByteStream(response.body)) response.body.destroy();
			this.fail(onHtml());
		}
		return this.eventsOf(operation, response);
	}

	/**
	 * A GET of a URL that came from an API answer; see download.ts for the checks around it.
	 * `exchange` bounds it: its signal reaches the socket, which n8n's timeout stops guarding
	 * once headers arrive (redirects off means axios's plain http adapter).
	 */
	async getStream(
		operation: string,
		url: string,
		exchange: ExchangeDeadline,
		onStopped: (reason: 'deadline' | 'idle') => never,
	): Promise<RawResponse> {
		return await this.send(
			operation,
			{ method: 'GET', url, encoding: 'stream', disableFollowRedirect: true, abortSignal: exchange.signal },
			{ authenticated: false, delivery: 'idempotent', returnErrorResponses: true, exchange, onStopped },
		);
	}

	private roaHow(call: RoaCall): SendHow {
		return { authenticated: true, delivery: deliveryOf(call.service, call.action, call.delivery) };
	}

	private roaOptions(call: RoaCall): IHttpRequestOptions {
		// URL parsers resolve `.`/`..` as navigation and an empty segment shifts the path: either would call another API.
		const bad = call.path.find((segment) => segment === '' || segment === '.' || segment === '..');
		if (bad !== undefined) {
			this.fail({
				code: 'InvalidPath',
				message: `A path parameter is ${bad === '' ? 'empty' : `"${bad}"`}, which would change the API path. Check the IDs given to the node.`,
				operation: this.operationName(call.service, call.action),
			});
		}
		return {
			method: call.method,
			url: `${this.baseUrl(call.service)}${encodePath(call.path)}`,
			qs: call.query as IDataObject | undefined,
			body: call.body,
			headers: { 'x-acs-action': call.action, 'x-acs-version': call.version },
			json: true,
		};
	}

	private async *eventsOf(operation: string, response: RawResponse): AsyncGenerator<SseEvent> {
		const stream = response.body;
		if (!isByteStream(stream)) {
			// A server that answered JSON instead of a stream: treat the whole body as one event.
			yield { data: typeof stream === 'string' ? stream : JSON.stringify(stream) };
			return;
		}
		let count = 0;
		// Once headers are in, n8n's timeout no longer watches the socket: silence is bounded here.
		const exchange = new ExchangeDeadline(undefined, this.cancelSignal());
		let lastByteAt = Date.now();
		async function* touched(chunks: AsyncGenerator<Buffer>): AsyncGenerator<Buffer> {
			for await (const chunk of chunks) {
				lastByteAt = Date.now();
				yield chunk;
			}
		}
		try {
			for await (const event of readSseEvents(touched(exchange.chunks(stream, this.timeoutMs)))) {
				count++;
				yield event;
			}
		} catch (error) {
			// The request's own socket timeout may close a silent stream a moment before the idle timer does.
			const silent = Date.now() - lastByteAt >= this.timeoutMs - TIMER_TOLERANCE_MS;
			if ((error instanceof ExchangeStopped && error.reason === 'idle') || (!(error instanceof ExchangeStopped) && silent)) {
				this.fail({
					code: 'StreamStalled',
					message: `The answer stopped after ${count} event(s): nothing arrived for longer than Timeout (${seconds(this.timeoutMs)}); raise Timeout in the node's options, or run the node again.`,
					operation,
				});
			}
			if (error instanceof ExchangeStopped) this.failIfCancelled(operation);
			const info = networkErrorInfo(operation, error);
			this.fail({
				...info,
				code: 'StreamInterrupted',
				message: `The connection dropped after ${count} event(s) (${info.code}: ${info.message}). Run the node again.`,
			});
		} finally {
			exchange.finish();
			stream.destroy();
		}
	}

	private async send(operation: string, options: IHttpRequestOptions, how: SendHow): Promise<RawResponse> {
		const request: IHttpRequestOptions = {
			...options,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: this.timeoutMs,
		};
		let renewed = false;
		const cancel = how.exchange?.signal ?? this.cancelSignal();
		// Signed requests get n8n's cancel signal from n8n itself; unsigned ones need it passed.
		if (!how.authenticated && !request.abortSignal && cancel) request.abortSignal = cancel;
		for (let attempt = 0; ; attempt++) {
			await this.options.limiter?.acquire();
			this.failIfStopped(operation, how);
			let info!: AlibabaErrorInfo;
			let retryAfterMs: number | undefined;
			const keyInUse = how.authenticated ? this.binding.keyInUse() : undefined;
			const attemptStarted = Date.now();
			let response: RawResponse | undefined;
			try {
				response = (how.authenticated
					? await this.ctx.helpers.httpRequestWithAuthentication.call(
							this.ctx,
							this.binding.type,
							request,
							this.binding.requestOptions(),
						)
					: await this.ctx.helpers.httpRequest(request)) as RawResponse;
			} catch (error) {
				this.failIfStopped(operation, how);
				const silentTooLong = Date.now() - attemptStarted >= this.timeoutMs - TIMER_TOLERANCE_MS;
				info = abortedBody(networkErrorInfo(operation, error), silentTooLong);
			}
			if (response) {
				if (response.statusCode < 400) {
					// n8n hands back the raw text when a `json` answer does not parse: that is no answer at all.
					if (request.json && request.encoding !== 'stream' && typeof response.body === 'string') {
						this.fail(this.unreadableInfo(operation, response, how.delivery));
					}
					return response;
				}
				// alime-ws refuses a stream URL with an HTML page, whatever status it carries: the caller renews its token.
				if (how.returnHtml && (header(response.headers, 'content-type') ?? '').includes('text/html')) return response;
				let body = response.body;
				if (isByteStream(body)) body = parseMaybeJson(await readSmall(body, this.timeoutMs, cancel));
				info = errorInfoFromResponse(operation, response.statusCode, body, response.headers);
				if (how.returnErrorResponses && !isTransientApiError(info)) return { ...response, body };
				retryAfterMs = parseRetryAfter(header(response.headers, 'retry-after'));
			}
			// An expired or revoked temporary key: renew it once and retry at once, outside the retry budget.
			if (how.authenticated && !renewed && this.binding.renewAfter(info, keyInUse)) {
				renewed = true;
				attempt--;
				continue;
			}
			const attempts = attempt + 1;
			if (!mayRetry(info, how.delivery) || attempt >= this.policy.maxRetries) {
				this.fail(this.finalInfo(info, attempts, how.delivery));
			}
			const maxRetryAfterMs = this.policy.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
			if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) {
				this.fail({
					...info,
					message: `${info.message} The service asked to wait ${seconds(retryAfterMs)} before trying again (Retry-After), longer than this node waits (${seconds(maxRetryAfterMs)}); run the node again later.`,
				});
			}
			await waitBeforeRetry(retryDelay(attempt, this.policy, retryAfterMs), cancel);
		}
	}

	/** A 2xx answer whose body is not the JSON the call promises: said so, with what the user can do. */
	private unreadableInfo(operation: string, response: RawResponse, delivery: Delivery): AlibabaErrorInfo {
		const billed =
			delivery === 'atMostOnce'
				? ' The call may have been processed (and billed): check the result in the Alibaba Cloud console before running the node again.'
				: ' Run the node again; if it keeps happening, check the credential\'s custom endpoints.';
		return {
			code: 'InvalidResponse',
			message: `The service answered HTTP ${response.statusCode}, but the answer is not valid JSON, so it could not be read. A proxy or gateway between n8n and Alibaba Cloud may have changed it.${billed}`,
			requestId: requestIdFromHeaders(response.headers),
			httpStatus: response.statusCode,
			operation,
		};
	}

	private failIfStopped(operation: string, how: SendHow): void {
		const reason = how.exchange?.reason;
		if ((reason === 'deadline' || reason === 'idle') && how.onStopped) how.onStopped(reason);
		this.failIfCancelled(operation);
		if (reason === 'cancelled') {
			this.fail({ code: 'Cancelled', message: 'The execution was cancelled; nothing more was sent.', operation });
		}
	}

	/** The last failure, said so that the user knows what happened and what to do. */
	private finalInfo(info: AlibabaErrorInfo, attempts: number, delivery: Delivery): AlibabaErrorInfo {
		const after = attempts > 1 ? ` (after ${attempts} attempts)` : '';
		const notResent =
			delivery === 'atMostOnce' && isTransientApiError(info) && !mayRetry(info, delivery)
				? ' It was not sent again, because the service may already have processed (and billed) it; check the result in the Alibaba Cloud console before running the node again.'
				: '';
		if (isTimeoutCode(info.code)) {
			return {
				...info,
				code: 'Timeout',
				message: `The call took longer than Timeout (${seconds(this.timeoutMs)}); raise Timeout in the node's options.${after}${notResent}`,
			};
		}
		const message = notResent && !/[.!?。]$/.test(info.message) ? `${info.message}.` : info.message;
		return { ...info, message: `${message}${after}${notResent}` };
	}
}

export { AlibabaCallError };
