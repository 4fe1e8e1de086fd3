import type { IncomingMessage, ServerResponse } from 'node:http';

import { ApiError, errorBody, newRequestId } from './errors';
import type { RecordedRequest } from './types';

/** Like a form decoder: `+` is a space, bad escapes are kept as sent. */
function decodeComponent(value: string): string {
	const spaced = value.replace(/\+/g, ' ');
	try {
		return decodeURIComponent(spaced);
	} catch {
		return spaced;
	}
}

export function parseQuery(rawQuery: string): Record<string, string> {
	const query: Record<string, string> = {};
	for (const part of rawQuery.split('&')) {
		if (part === '') continue;
		const eq = part.indexOf('=');
		const key = decodeComponent(eq === -1 ? part : part.slice(0, eq));
		query[key] = eq === -1 ? '' : decodeComponent(part.slice(eq + 1));
	}
	return query;
}

export function flattenHeaders(req: IncomingMessage): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, values] of Object.entries(req.headersDistinct)) {
		if (values) headers[name] = values.join(', ');
	}
	return headers;
}

/** One request and its response, plus the record kept for tests. */
export class Exchange {
	readonly method: string;
	readonly rawPath: string;
	readonly rawQuery: string;
	readonly query: Record<string, string>;
	readonly headers: Record<string, string>;
	readonly requestId = newRequestId();
	body: Buffer = Buffer.alloc(0);
	action: string | undefined;
	private parsedJson: { value: unknown } | undefined;

	constructor(
		readonly req: IncomingMessage,
		readonly res: ServerResponse,
		readonly record: RecordedRequest,
		readonly baseUrl: string,
	) {
		const url = req.url ?? '/';
		const q = url.indexOf('?');
		this.method = (req.method ?? 'GET').toUpperCase();
		this.rawPath = q === -1 ? url : url.slice(0, q);
		this.rawQuery = q === -1 ? '' : url.slice(q + 1);
		this.query = parseQuery(this.rawQuery);
		this.headers = flattenHeaders(req);
	}

	header(name: string): string | undefined {
		return this.headers[name.toLowerCase()];
	}

	/** Every value of a header that was sent more than once. */
	headerValues(name: string): string[] {
		return this.req.headersDistinct[name.toLowerCase()] ?? [];
	}

	setAction(action: string): void {
		this.action = action;
		this.record.action = action;
	}

	setBody(body: Buffer): void {
		this.body = body;
		this.record.body = body.toString('utf8');
		const json = this.json();
		if (json !== undefined) this.record.json = json;
	}

	/** The body as JSON, or undefined when it is empty or not JSON. */
	json(): unknown {
		if (!this.parsedJson) {
			let value: unknown;
			if (this.body.length > 0) {
				try {
					value = JSON.parse(this.body.toString('utf8'));
				} catch {
					value = undefined;
				}
			}
			this.parsedJson = { value };
		}
		return this.parsedJson.value;
	}

	get hostId(): string {
		return this.header('host') ?? '127.0.0.1';
	}

	get closed(): boolean {
		return this.res.headersSent || this.res.destroyed;
	}

	writeHead(status: number, headers: Record<string, string | number>): void {
		this.record.status = status;
		// OSS answers carry OSS's own request id (x-oss-request-id), which its error XML repeats.
		this.record.requestId = typeof headers['x-oss-request-id'] === 'string' ? headers['x-oss-request-id'] : this.requestId;
		this.res.writeHead(status, { 'x-acs-request-id': this.requestId, ...headers });
	}

	sendJson(status: number, body: unknown, headers: Record<string, string> = {}): void {
		const text = JSON.stringify(body);
		this.writeHead(status, {
			'content-type': 'application/json;charset=utf-8',
			'content-length': Buffer.byteLength(text),
			...headers,
		});
		this.res.end(text);
	}

	sendText(status: number, contentType: string, text: string, headers: Record<string, string> = {}): void {
		this.writeHead(status, {
			'content-type': contentType,
			'content-length': Buffer.byteLength(text),
			...headers,
		});
		this.res.end(text);
	}

	sendError(error: ApiError): void {
		this.sendJson(error.status, errorBody(error, this.requestId, this.hostId), error.headers);
	}

	/** Kills the TCP connection without any response, like a reset by a middlebox. */
	drop(): void {
		this.record.status = 0;
		this.req.socket.destroy();
	}
}
