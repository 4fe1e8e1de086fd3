import type { ICredentialDataDecryptedObject, IDataObject, IHttpRequestHelper, IHttpRequestOptions } from 'n8n-workflow';

import { signRequestOptions } from '../signRequestOptions';
import { assumeRole } from './assumeRole';
import { ecsInstanceSession } from './ecsMetadata';
import { readRoleSettings, settingsFingerprint } from './roleSettings';
import { isDue, parseSession, serializeSession } from './session';
import { sessionCache } from './sessionCache';

/** The credential's hidden, `expirable` field: n8n stores what preAuthentication returns in it, encrypted. */
export const SESSION_FIELD = 'temporaryCredentials';

/**
 * Thrown by `authenticate` when the stored key is missing, made for other settings or inside
 * its refresh window. n8n-core treats an error with `response.status === 401` as "credentials
 * expired": it runs preAuthentication again, stores the result and signs once more, all before a
 * single byte is sent. This is how expiry-based refresh rides on n8n's own 401 path.
 */
export class TemporaryKeyRenewalNeeded extends Error {
	readonly response = { status: 401, statusText: 'Temporary key due for renewal' };

	constructor() {
		super('The RAM role\'s temporary key is due for renewal; n8n renews it and signs again.');
	}
}

/** `preAuthentication`: a usable temporary key, renewed at most once per refresh window per process. */
export async function obtainTemporaryCredentials(
	helpers: IHttpRequestHelper['helpers'],
	credentials: ICredentialDataDecryptedObject,
): Promise<IDataObject> {
	const settings = readRoleSettings(credentials);
	const fingerprint = settingsFingerprint(settings);
	const stored = parseSession(credentials[SESSION_FIELD], fingerprint);
	const session = await sessionCache.obtain(fingerprint, stored, async () =>
		settings.source === 'assumeRole'
			? await assumeRole(helpers, settings, fingerprint)
			: await ecsInstanceSession(helpers, settings, fingerprint),
	);
	return { [SESSION_FIELD]: serializeSession(session) };
}

/** `authenticate`: signs with the temporary key, or asks n8n for a renewal first (see TemporaryKeyRenewalNeeded). */
export function signWithTemporaryCredentials(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
	now: number = Date.now(),
): IHttpRequestOptions {
	const fingerprint = settingsFingerprint(readRoleSettings(credentials));
	const session = parseSession(credentials[SESSION_FIELD], fingerprint);
	if (!session || isDue(session, now)) throw new TemporaryKeyRenewalNeeded();
	return signRequestOptions(
		{ accessKeyId: session.accessKeyId, accessKeySecret: session.accessKeySecret, securityToken: session.securityToken },
		requestOptions,
		new Date(now),
	);
}

/** The temporary AccessKey ID a request is about to be signed with, if any. */
export function temporaryKeyId(credentials: ICredentialDataDecryptedObject): string | undefined {
	return parseSession(credentials[SESSION_FIELD])?.accessKeyId;
}

/** Temporary secrets that must never appear in an error message. */
export function temporarySecrets(credentials: ICredentialDataDecryptedObject): string[] {
	const session = parseSession(credentials[SESSION_FIELD]);
	return session ? [session.accessKeySecret, session.securityToken] : [];
}

/**
 * After a service refused temporary key `accessKeyId` (expired or unknown): remember that, and
 * blank the field if it still holds that key, so the next request makes n8n run preAuthentication.
 * Parallel items refused the same key share one renewal; a key already replaced is left alone.
 */
export function rejectTemporaryKey(credentials: ICredentialDataDecryptedObject, accessKeyId: string): void {
	sessionCache.reject(settingsFingerprint(readRoleSettings(credentials)), accessKeyId);
	if (temporaryKeyId(credentials) === accessKeyId) credentials[SESSION_FIELD] = '';
}

/**
 * Who calls, for caches of what a service issued to a caller (chatbot stream tokens): the settings
 * that define the assumed identity (source key, role ARN, session name, policy, External ID; for ECS
 * the metadata server and role). Not the temporary key, which changes at every renewal, and not the
 * stored session, which is absent before the first call of a credential.
 */
export function assumedIdentity(credentials: ICredentialDataDecryptedObject): string {
	return settingsFingerprint(readRoleSettings(credentials));
}
