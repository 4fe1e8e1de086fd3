import { createHash } from 'node:crypto';

/** Alibaba's documented sign: lower-case hex MD5 of `streamSecret=<secret>&timestamp=<ms>`. */
export function streamSign(streamSecret: string, timestamp: number | string): string {
	return createHash('md5').update(`streamSecret=${streamSecret}&timestamp=${timestamp}`, 'utf8').digest('hex');
}

/** `{base}/sse/paas4Json/{AccessToken}/{ChannelId}/{Sign}/{Timestamp}`: the path is the credential. */
export function streamUrl(
	baseUrl: string,
	token: { accessToken: string; channelId: string },
	sign: string,
	timestamp: number,
): string {
	const segments = [token.accessToken, token.channelId, sign, String(timestamp)].map(encodeURIComponent);
	return `${baseUrl}/sse/paas4Json/${segments.join('/')}`;
}
