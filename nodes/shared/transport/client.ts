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
	toNodeApiError,
} from './errors';
import { DEFAULT_RETRY_POLICY, isTransientApiError, type RetryPolicy, waitBeforeRetry } from './retry';
import { readSseEvents, type SseEvent } from './sse';
import { type ByteStream, isByteStream } from './byteStream';
import { ACCESS_KEY_CREDENTIAL, CredentialBinding } from './credentialBinding';

/** The default; a node's "Authentication" parameter may pick the RAM role credential instead. */
export const CREDENTIAL_TYPE = ACCESS_KEY_CREDENTIAL;

export type AlibabaContext = IExecuteFunctions | ISupplyDataFunctions | IWebhookFunctions | IPollFunctions;

export interface RpcCall {
	service: AlibabaService;
	action: string;
	version: string;
	params?: Record<string, QueryValue>;
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
}

export interface ClientOptions {
	retry?: Partial<RetryPolicy>;
	timeoutMs?: number;
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

function retryAfterMs(headers: RawResponse['headers']): number | undefined {
	const value = header(headers, 'retry-after');
	if (!value) return undefined;
	const seconds = Number(value);
	return Number.isFinite(seconds) ? seconds * 1000 : undefined;
}

/** Reads at most `limit` bytes of an error response; the rest is not worth waiting for. */
async function readSmall(stream: ByteStream, limit = 65536): Promise<string> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
		chunks.push(buffer);
		size += buffer.length;
		if (size >= limit) {
			stream.destroy();
			break;
		}
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

	/** RPC style: parameters in the query, POST `/`, empty body. */
	async rpc<T = IDataObject>(call: RpcCall): Promise<T> {
		const response = await this.send(this.operationName(call.service, call.action), {
			method: 'POST',
			url: `${this.baseUrl(call.service)}/`,
			qs: call.params as IDataObject,
			headers: { 'x-acs-action': call.action, 'x-acs-version': call.version },
			json: true,
		});
		return response.body as T;
	}

	/** ROA style: REST path, optional query and JSON body. A `success: false` body is an error too. */
	async roa<T = IDataObject>(call: RoaCall): Promise<T> {
		const operation = this.operationName(call.service, call.action);
		const response = await this.send(operation, this.roaOptions(call));
		const body = response.body as IDataObject;
		if (body && typeof body === 'object' && body.success === false) {
			this.fail(errorInfoFromResponse(operation, response.statusCode, body));
		}
		return body as T;
	}

	/** ROA call whose answer is `text/event-stream`; yields events as they arrive. */
	async roaEvents(call: RoaCall): Promise<AsyncGenerator<SseEvent>> {
		const operation = this.operationName(call.service, call.action);
		const response = await this.send(operation, { ...this.roaOptions(call), encoding: 'stream' });
		return this.eventsOf(operation, response);
	}

	/** An unsigned POST whose answer is an event stream (the chatbot's URL carries its own auth). */
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
			false,
			false,
			true,
		);
		const contentType = header(response.headers, 'content-type') ?? '';
		if (contentType.includes('text/html')) {
			if (isByteStream(response.body)) response.body.destroy();
			this.fail(onHtml());
		}
		return this.eventsOf(operation, response);
	}

	/** A GET of a URL that came from an API answer; see download.ts for the checks around it. */
	async getStream(operation: string, url: string): Promise<RawResponse> {
		return await this.send(operation, { method: 'GET', url, encoding: 'stream', disableFollowRedirect: true }, false, true);
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
		try {
			for await (const event of readSseEvents(stream)) {
				count++;
				yield event;
			}
		} catch (error) {
			const info = networkErrorInfo(operation, error);
			this.fail({
				...info,
				code: 'StreamInterrupted',
				message: `The connection dropped after ${count} event(s) (${info.code}: ${info.message}). Run the node again.`,
			});
		} finally {
			stream.destroy();
		}
	}

	private async send(
		operation: string,
		options: IHttpRequestOptions,
		authenticated = true,
		returnErrorResponses = false,
		returnHtml = false,
	): Promise<RawResponse> {
		const request: IHttpRequestOptions = {
			...options,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: this.options.timeoutMs ?? 60_000,
		};
		let renewed = false;
		for (let attempt = 0; ; attempt++) {
			let info: AlibabaErrorInfo;
			let wait: number | undefined;
			const keyInUse = authenticated ? this.binding.keyInUse() : undefined;
			try {
				const response = (authenticated
					? await this.ctx.helpers.httpRequestWithAuthentication.call(
							this.ctx,
							this.binding.type,
							request,
							this.binding.requestOptions(),
						)
					: await this.ctx.helpers.httpRequest(request)) as RawResponse;
				if (response.statusCode < 400) return response;
				// alime-ws refuses a stream URL with an HTML page, whatever status it carries: the caller renews its token.
				if (returnHtml && (header(response.headers, 'content-type') ?? '').includes('text/html')) return response;
				let body = response.body;
				if (isByteStream(body)) body = parseMaybeJson(await readSmall(body));
				info = errorInfoFromResponse(operation, response.statusCode, body);
				if (returnErrorResponses && !isTransientApiError(info)) return { ...response, body };
				wait = retryAfterMs(response.headers);
			} catch (error) {
				info = networkErrorInfo(operation, error);
			}
			// An expired or revoked temporary key: renew it once and retry at once, outside the retry budget.
			if (authenticated && !renewed && this.binding.renewAfter(info, keyInUse)) {
				renewed = true;
				attempt--;
				continue;
			}
			if (!isTransientApiError(info) || attempt >= this.policy.maxRetries) {
				if (attempt > 0) info = { ...info, message: `${info.message} (after ${attempt + 1} attempts)` };
				this.fail(info);
			}
			await waitBeforeRetry(attempt, this.policy, wait);
		}
	}
}

export { AlibabaCallError };
