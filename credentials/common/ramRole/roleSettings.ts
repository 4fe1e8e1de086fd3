import { createHash } from 'node:crypto';

import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

/** What the credential asks STS (or the ECS metadata server) for, read and checked once per use. */
export type RoleSettings =
	| {
			source: 'assumeRole';
			accessKeyId: string;
			accessKeySecret: string;
			securityToken: string;
			roleArn: string;
			roleSessionName: string;
			durationSeconds: number;
			externalId: string;
			policy: string;
			stsBaseUrl: string;
	  }
	| {
			source: 'ecsInstance';
			roleName: string;
			metadataBaseUrl: string;
	  };

export const DEFAULT_METADATA_BASE_URL = 'http://100.100.100.200';
export const MIN_DURATION_SECONDS = 900;
export const MAX_DURATION_SECONDS = 43200;

/** Thrown for settings STS would refuse anyway: caught before a request is spent on them. */
export class RoleSettingsError extends Error {}

const text = (credentials: ICredentialDataDecryptedObject, name: string) => String(credentials[name] ?? '').trim();

/** Same rules as the nodes' endpoints: no trailing slash, https:// when no scheme is given. */
function baseUrl(value: string): string {
	const withScheme = /^https?:\/\//i.test(value) ? value : `https://${value}`;
	return withScheme.replace(/\/+$/, '');
}

/** Regional STS by default, its VPC twin on request; a custom STS endpoint (as on the AccessKey credential) wins. */
export function stsBaseUrl(credentials: ICredentialDataDecryptedObject): string {
	const custom = credentials.customEndpoints === true ? text(credentials, 'stsEndpoint') : '';
	if (custom) return baseUrl(custom);
	const region = text(credentials, 'region') || 'cn-shanghai';
	const host = credentials.stsEndpointType === 'vpc' ? `sts-vpc.${region}.aliyuncs.com` : `sts.${region}.aliyuncs.com`;
	return `https://${host}`;
}

export function checkRoleArn(roleArn: string): void {
	if (!roleArn) throw new RoleSettingsError('The Role ARN is empty. Copy it from the role\'s page in the RAM console (acs:ram::<account ID>:role/<role name>).');
	if (/^acs:ram::\d+:user\//i.test(roleArn)) {
		throw new RoleSettingsError(
			`"${roleArn}" is the ARN of a RAM user, not of a role. Enter the ARN of the RAM role to assume (acs:ram::<account ID>:role/<role name>).`,
		);
	}
	if (!/^acs:ram::\d{1,32}:role\/[A-Za-z0-9._-]{1,64}$/.test(roleArn)) {
		throw new RoleSettingsError(
			`The Role ARN "${roleArn}" is not of the form acs:ram::<account ID>:role/<role name> (role names: 1-64 letters, digits, ".", "-", "_").`,
		);
	}
}

export function checkRoleSessionName(name: string): void {
	if (!/^[A-Za-z0-9.@_-]{2,64}$/.test(name)) {
		throw new RoleSettingsError(
			`The Role Session Name "${name}" is not accepted by STS: use 2-64 letters, digits, ".", "@", "-" or "_".`,
		);
	}
}

export function checkDuration(seconds: number): void {
	if (!Number.isInteger(seconds) || seconds < MIN_DURATION_SECONDS || seconds > MAX_DURATION_SECONDS) {
		throw new RoleSettingsError(
			`The Duration must be a whole number of seconds from ${MIN_DURATION_SECONDS} to ${MAX_DURATION_SECONDS}; it is ${seconds}. It may not exceed the role's maximum session duration either (1 hour unless raised in the RAM console).`,
		);
	}
}

export function checkExternalId(externalId: string): void {
	if (externalId && !/^[A-Za-z0-9=,.@:/_-]{2,1224}$/.test(externalId)) {
		throw new RoleSettingsError(
			'The External ID must be 2-1224 characters: letters, digits and = , . @ : / - _ only.',
		);
	}
}

/** A session policy can only narrow the role's permissions; STS rejects anything but a policy document. */
export function normalizePolicy(policy: string): string {
	if (!policy) return '';
	let parsed: unknown;
	let parseError = '';
	try {
		parsed = JSON.parse(policy);
	} catch (error) {
		parseError = (error as Error).message;
	}
	if (parseError) {
		throw new RoleSettingsError(`The Policy is not valid JSON (${parseError}). Paste a RAM policy document or leave it empty.`);
	}
	const document = parsed as { Version?: unknown; Statement?: unknown };
	if (!document || typeof document !== 'object' || Array.isArray(document) || !Array.isArray(document.Statement)) {
		throw new RoleSettingsError('The Policy must be a RAM policy document: {"Version": "1", "Statement": [ ... ]}.');
	}
	const compact = JSON.stringify(parsed);
	if (compact.length > 2048) {
		throw new RoleSettingsError(`The Policy is ${compact.length} characters long without spaces; STS accepts at most 2048.`);
	}
	return compact;
}

export function readRoleSettings(credentials: ICredentialDataDecryptedObject): RoleSettings {
	if (credentials.credentialSource === 'ecsInstance') {
		const metadataBaseUrl = (text(credentials, 'metadataBaseUrl') || DEFAULT_METADATA_BASE_URL).replace(/\/+$/, '');
		if (!/^https?:\/\/[^/\s]+$/i.test(metadataBaseUrl)) {
			throw new RoleSettingsError(`The Metadata Base URL "${metadataBaseUrl}" must be http://host[:port], e.g. ${DEFAULT_METADATA_BASE_URL}.`);
		}
		const roleName = text(credentials, 'ecsRoleName');
		if (roleName && !/^[A-Za-z0-9._-]{1,64}$/.test(roleName)) {
			throw new RoleSettingsError(`The ECS role name "${roleName}" is not a RAM role name (1-64 letters, digits, ".", "-", "_").`);
		}
		return { source: 'ecsInstance', roleName, metadataBaseUrl };
	}
	const accessKeyId = text(credentials, 'accessKeyId');
	const accessKeySecret = text(credentials, 'accessKeySecret');
	if (!accessKeyId || !accessKeySecret) {
		throw new RoleSettingsError('The source AccessKey ID and Secret are required to assume the role.');
	}
	const roleArn = text(credentials, 'roleArn');
	checkRoleArn(roleArn);
	const roleSessionName = text(credentials, 'roleSessionName') || 'n8n';
	checkRoleSessionName(roleSessionName);
	const rawDuration = credentials.durationSeconds;
	const durationSeconds = rawDuration === undefined || rawDuration === '' ? 3600 : Number(rawDuration);
	checkDuration(durationSeconds);
	const externalId = text(credentials, 'externalId');
	checkExternalId(externalId);
	return {
		source: 'assumeRole',
		accessKeyId,
		accessKeySecret,
		securityToken: text(credentials, 'securityToken'),
		roleArn,
		roleSessionName,
		durationSeconds,
		externalId,
		policy: normalizePolicy(text(credentials, 'policy')),
		stsBaseUrl: stsBaseUrl(credentials),
	};
}

/**
 * Names one set of settings without revealing it: temporary keys are cached and stored under it,
 * so editing any setting (or the source secret) makes the old temporary key unusable at once.
 */
export function settingsFingerprint(settings: RoleSettings): string {
	return createHash('sha256').update(JSON.stringify(settings), 'utf8').digest('hex');
}
