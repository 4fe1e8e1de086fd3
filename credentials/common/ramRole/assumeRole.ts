import { sleep, type IDataObject, type IHttpRequestHelper, type IHttpRequestOptions } from 'n8n-workflow';

import { signRequestOptions } from '../signRequestOptions';
import type { RoleSettings } from './roleSettings';
import { networkReason } from './networkReason';
import { refreshAtFor, type TemporarySession } from './session';
import { explainAssumeRoleError, readErrorBody } from './stsErrors';

type Helpers = IHttpRequestHelper['helpers'];
type AssumeRoleSettings = Extract<RoleSettings, { source: 'assumeRole' }>;

export const STS_VERSION = '2015-04-01';

/** The parameters STS AssumeRole takes, in the names the official SDK and @alicloud/credentials send. */
export function assumeRoleParameters(settings: AssumeRoleSettings): IDataObject {
	return {
		RoleArn: settings.roleArn,
		RoleSessionName: settings.roleSessionName,
		DurationSeconds: settings.durationSeconds,
		...(settings.externalId ? { ExternalId: settings.externalId } : {}),
		...(settings.policy ? { Policy: settings.policy } : {}),
	};
}

/** STS throttling, its 5xx and dropped connections heal on their own; one renewal may wait a little for them. */
const TRANSIENT_RETRIES = 2;
const RETRY_DELAY_MS = 500;

function isTransient(response: FullResponse | Error): boolean {
	if (response instanceof Error) return true;
	if (response.statusCode >= 500 || response.statusCode === 429) return true;
	const code = (response.body as IDataObject | undefined)?.Code;
	return typeof code === 'string' && /^(Throttling|ServiceUnavailable|InternalError)/.test(code);
}

interface FullResponse {
	statusCode: number;
	body: unknown;
}

function parseBody(body: unknown): unknown {
	if (typeof body !== 'string') return body;
	try {
		return JSON.parse(body);
	} catch {
		return body;
	}
}

/** A session's expiry, checked against this server's clock so a skewed clock is named, not looped on. */
export function sessionFromKey(
	key: { AccessKeyId?: unknown; AccessKeySecret?: unknown; SecurityToken?: unknown; Expiration?: unknown },
	fingerprint: string,
	identity: string,
	receivedAt: number,
	what: string,
): TemporarySession {
	const { AccessKeyId, AccessKeySecret, SecurityToken, Expiration } = key;
	if (typeof AccessKeyId !== 'string' || typeof AccessKeySecret !== 'string' || typeof SecurityToken !== 'string' || typeof Expiration !== 'string') {
		throw new Error(`${what} answered without AccessKeyId, AccessKeySecret, SecurityToken and Expiration.`);
	}
	const expiresAt = Date.parse(Expiration);
	if (!(expiresAt > receivedAt)) {
		throw new Error(
			`${what} issued a key that expires at ${Expiration}, which is already past by this n8n server's clock (${new Date(receivedAt).toISOString()}). Check the server clock.`,
		);
	}
	return {
		accessKeyId: AccessKeyId,
		accessKeySecret: AccessKeySecret,
		securityToken: SecurityToken,
		expiration: Expiration,
		refreshAt: refreshAtFor(expiresAt, receivedAt),
		fingerprint,
		identity,
	};
}

/** One STS AssumeRole call, signed by the package's own ACS3 signer with the source key. */
export async function assumeRole(
	helpers: Helpers,
	settings: AssumeRoleSettings,
	fingerprint: string,
	now: () => number = Date.now,
): Promise<TemporarySession> {
	const unsigned: IHttpRequestOptions = {
		method: 'POST',
		url: `${settings.stsBaseUrl}/`,
		qs: assumeRoleParameters(settings),
		headers: { 'x-acs-action': 'AssumeRole', 'x-acs-version': STS_VERSION },
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: 20_000,
	};
	let response: FullResponse | Error = new Error('STS AssumeRole was not called');
	for (let attempt = 0; attempt <= TRANSIENT_RETRIES; attempt++) {
		if (attempt > 0) await sleep(RETRY_DELAY_MS * 2 ** (attempt - 1));
		// Signed afresh each time: STS refuses a signature nonce it has seen.
		const signed = signRequestOptions(
			{ accessKeyId: settings.accessKeyId, accessKeySecret: settings.accessKeySecret, securityToken: settings.securityToken },
			unsigned,
		);
		response = await helpers.httpRequest(signed).then(
			(answer) => answer as FullResponse,
			(error: unknown) =>
				new Error(
					`Step 1 of 2 (STS AssumeRole) failed: STS at ${settings.stsBaseUrl} did not answer (${networkReason(error)}). Check the region, the STS endpoint choice (the VPC endpoint only works inside an Alibaba Cloud VPC) and the network.`,
				),
		);
		if (!isTransient(response)) break;
	}
	if (response instanceof Error) throw response;
	const body = parseBody(response.body) as IDataObject;
	const key = body?.Credentials as IDataObject | undefined;
	if (response.statusCode >= 400 || !key) {
		throw new Error(explainAssumeRoleError(readErrorBody(body, response.statusCode), settings.roleArn));
	}
	const assumed = body.AssumedRoleUser as IDataObject | undefined;
	const identity = typeof assumed?.Arn === 'string' ? assumed.Arn : `${settings.roleArn}/${settings.roleSessionName}`;
	return sessionFromKey(key, fingerprint, identity, now(), 'STS AssumeRole');
}
