import { createHmac, randomBytes } from 'node:crypto';

import type { Exchange } from '../exchange';

/** Files under /calllogs and /dianjin/analysis pretend to be OSS objects behind signed URLs. */
const OSS_ACCESS_KEY_ID = 'LTAI5tOssEmulatorSigner';
const OSS_HOST = 'emulator-bucket.oss-cn-shanghai.aliyuncs.com';
export const SIGNED_URL_LIFETIME_S = 3600;

export function signedObjectUrl(baseUrl: string, objectPath: string, now: number = Date.now()): string {
	const expires = Math.floor(now / 1000) + SIGNED_URL_LIFETIME_S;
	const signature = createHmac('sha1', 'oss-emulator').update(`GET\n\n\n${expires}\n${objectPath}`).digest('base64');
	const query = new URLSearchParams({ Expires: String(expires), OSSAccessKeyId: OSS_ACCESS_KEY_ID, Signature: signature });
	return `${baseUrl}${objectPath}?${query.toString()}`;
}

function ossRequestId(): string {
	return randomBytes(12).toString('hex').toUpperCase();
}

export function ossHeaders(): Record<string, string> {
	return { server: 'AliyunOSS', 'x-oss-request-id': ossRequestId(), 'x-oss-object-type': 'Normal' };
}

function xmlEscape(text: string): string {
	return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function sendOssError(ex: Exchange, status: number, fields: Record<string, string>): void {
	const headers = ossHeaders();
	const body =
		'<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n' +
		Object.entries({ ...fields, RequestId: headers['x-oss-request-id'], HostId: OSS_HOST })
			.map(([k, v]) => `  <${k}>${xmlEscape(v)}</${k}>`)
			.join('\n') +
		'\n</Error>\n';
	ex.sendText(status, 'application/xml', body, headers);
}

export function sendOssExpired(ex: Exchange, expiresS: number): void {
	sendOssError(ex, 403, {
		Code: 'AccessDenied',
		Message: 'Request has expired.',
		Expires: new Date(expiresS * 1000).toISOString(),
		ServerTime: new Date().toISOString(),
		EC: '0002-00000069',
		RecommendDoc: 'https://api.aliyun.com/troubleshoot?q=0002-00000069',
	});
}

export function sendOssNoSuchKey(ex: Exchange, key: string): void {
	sendOssError(ex, 404, {
		Code: 'NoSuchKey',
		Message: 'The specified key does not exist.',
		Key: key,
		EC: '0026-00000001',
		RecommendDoc: 'https://api.aliyun.com/troubleshoot?q=0026-00000001',
	});
}

/** Real OSS refuses a signed URL after its Expires second; a client caching URLs for hours must re-describe. */
export function signedUrlExpired(ex: Exchange, now: number = Date.now()): number | undefined {
	const expires = Number(ex.query.Expires);
	if (ex.query.Expires === undefined || !Number.isFinite(expires)) return undefined;
	return expires * 1000 < now ? expires : undefined;
}
