/** The part of a Node readable stream the transport uses; n8n hands response bodies over as one. */
export interface ByteStream extends AsyncIterable<Uint8Array | string> {
	destroy(error?: Error): void;
}

export function isByteStream(value: unknown): value is ByteStream {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as ByteStream).destroy === 'function' &&
		typeof (value as ByteStream)[Symbol.asyncIterator] === 'function'
	);
}
