import type { IDataObject } from 'n8n-workflow';

/** The parts of n8n's (express) request the trigger reads. */
export interface CallbackRequest {
	headers: Record<string, string | string[] | undefined>;
	body?: unknown;
	/** n8n reads the whole body into `rawBody` before a version-1 webhook node runs. */
	rawBody?: Buffer;
	contentType?: string;
	readRawBody?: () => Promise<void>;
}

export type CallbackBody = { ok: true; payload: IDataObject } | { ok: false; message: string };

export function isPlainObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

const EXPECTED_SHAPE = 'Expected a JSON object {"aiAgentId", "instanceId", "event", "data"}.';

function sizeOf(req: CallbackRequest): number {
	if (req.rawBody) return req.rawBody.length;
	if (typeof req.body === 'string') return Buffer.byteLength(req.body);
	if (req.body !== undefined) return Buffer.byteLength(JSON.stringify(req.body));
	return 0;
}

/**
 * Checks size and shape of an agent callback. n8n has usually parsed a JSON body already; the raw
 * body covers callbacks sent with another content type (text/plain, none), where the JSON is
 * parsed here. n8n itself answers 422 for a body it fails to parse as application/json.
 */
export async function readCallbackBody(req: CallbackRequest, maxBytes: number): Promise<CallbackBody> {
	const unparsed = req.body === undefined || (isPlainObject(req.body) && Object.keys(req.body).length === 0);
	if (!req.rawBody && unparsed && typeof req.readRawBody === 'function' && !req.contentType?.startsWith('multipart/')) {
		await req.readRawBody();
	}

	const size = sizeOf(req);
	if (size > maxBytes) {
		return {
			ok: false,
			message: `The callback body is ${Math.ceil(size / 1024)} KB, above the ${Math.floor(maxBytes / 1024)} KB limit. Raise the node's "Max Body Size (KB)" option if such callbacks are expected.`,
		};
	}

	let payload: unknown = req.body;
	if (!isPlainObject(payload) || Object.keys(payload).length === 0) {
		const text = req.rawBody?.length ? req.rawBody.toString('utf8') : typeof req.body === 'string' ? req.body : '';
		if (text.trim() === '') return { ok: false, message: `The callback body is empty. ${EXPECTED_SHAPE}` };
		try {
			payload = JSON.parse(text);
		} catch {
			// JSON.parse's own message quotes part of the body (Node 20+), which may hold personal
			// data; it must reach neither the answer nor n8n's log.
			return { ok: false, message: `The callback body is not valid JSON. ${EXPECTED_SHAPE}` };
		}
	}
	if (!isPlainObject(payload)) {
		return { ok: false, message: `The callback body is JSON but not an object. ${EXPECTED_SHAPE}` };
	}
	if (typeof payload.event !== 'string' || payload.event.trim() === '') {
		return { ok: false, message: `The callback has no "event" field. ${EXPECTED_SHAPE}` };
	}
	return { ok: true, payload };
}
