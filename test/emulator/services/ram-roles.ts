import { EMULATOR_KEYS } from '../keys';
import { expireIssuedKeys } from '../sts-sessions';

const ACCOUNT = '1234567890123456';
const arn = (name: string) => `acs:ram::${ACCOUNT}:role/${name}`;

/**
 * RAM roles the emulator's STS knows. `trusts` stands for the role's trust policy: which source
 * AccessKey IDs may assume it (issued temporary keys of the same account count as the account's
 * RAM user, as role chaining does).
 */
export interface EmulatorRole {
	name: string;
	arn: string;
	roleId: string;
	maxSessionSeconds: number;
	trusts: 'account' | 'nobody';
	externalId?: string;
}

export const RAM_ROLE_FIXTURES = {
	accountId: ACCOUNT,
	/** Trusts the emulator's RAM user key; maximum session 1 hour (Alibaba's default). */
	roleArn: arn('emulatorrole'),
	/** Same trust, but its trust policy requires sts:ExternalId = externalId; maximum session 12 hours. */
	externalIdRoleArn: arn('emulator-external'),
	externalId: 'emu-external-7f3a',
	/** Exists, but its trust policy names another account: AssumeRole answers NoPermission. */
	untrustingRoleArn: arn('emulator-untrusting'),
	/** Well formed, but no such role: EntityNotExist.Role. */
	missingRoleArn: arn('no-such-role'),
	/** The role attached to the emulated ECS instance. */
	ecsRoleName: 'EcsEmulatorRole',
	/** Lifetime of ECS instance-role keys unless a test shortens it (real ECS: about 6 hours). */
	ecsLifetimeSeconds: 6 * 3600,
} as const;

export const EMULATOR_ROLES: EmulatorRole[] = [
	{ name: 'emulatorrole', arn: RAM_ROLE_FIXTURES.roleArn, roleId: '300800165000000002', maxSessionSeconds: 3600, trusts: 'account' },
	{
		name: 'emulator-external',
		arn: RAM_ROLE_FIXTURES.externalIdRoleArn,
		roleId: '300800165000000003',
		maxSessionSeconds: 43200,
		trusts: 'account',
		externalId: RAM_ROLE_FIXTURES.externalId,
	},
	{ name: 'emulator-untrusting', arn: RAM_ROLE_FIXTURES.untrustingRoleArn, roleId: '300800165000000004', maxSessionSeconds: 3600, trusts: 'nobody' },
];

/** The account's own keys: its RAM user, the fixed STS pair, and temporary keys issued here. */
export function trustedByAccount(accessKeyId: string): boolean {
	return accessKeyId === EMULATOR_KEYS.accessKeyId || accessKeyId.startsWith('STS.');
}

export interface AssumeRoleCall {
	/** 'V3' (ACS3-HMAC-SHA256, x-acs-action) or 'V2' (HMAC-SHA1 RPC, as @alicloud/credentials signs it). */
	signature: 'V3' | 'V2';
	callerAccessKeyId: string;
	/** The AssumeRole parameters as received (query and form body merged), signature fields left out. */
	params: Record<string, string>;
	/** The answer: the issued key's id, or the error code. */
	issuedAccessKeyId?: string;
	errorCode?: string;
	at: number;
}

/** What tests may change about STS and the metadata server; reset() puts it back. */
export class StsControl {
	/** Overrides every issued key's lifetime, so expiry and refresh can be tested in seconds. */
	lifetimeSeconds: number | undefined;
	/** The role attached to the ECS instance; null = none attached. */
	ecsRoleName: string | null = RAM_ROLE_FIXTURES.ecsRoleName;
	readonly calls: AssumeRoleCall[] = [];
	/** IMDSv2 tokens and when they lapse. */
	readonly metadataTokens = new Map<string, number>();
	metadataCredentialReads = 0;

	/** Every temporary key issued so far now answers InvalidSecurityToken.Expired. */
	expireIssuedKeys(): void {
		expireIssuedKeys();
	}

	reset(): void {
		this.lifetimeSeconds = undefined;
		this.ecsRoleName = RAM_ROLE_FIXTURES.ecsRoleName;
		this.calls.length = 0;
		this.metadataTokens.clear();
		this.metadataCredentialReads = 0;
	}
}
