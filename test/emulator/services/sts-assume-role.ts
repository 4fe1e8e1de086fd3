import { ApiError, missingParameter } from '../errors';
import type { Exchange } from '../exchange';
import type { KnownKey } from '../keys';
import type { ServiceContext } from '../service-context';
import { verifyV2Request, v2Params } from '../signature-v2';
import { issueKey } from '../sts-sessions';
import { EMULATOR_ROLES, RAM_ROLE_FIXTURES, trustedByAccount } from './ram-roles';

const SIGNATURE_PARAMS = new Set([
	'Action',
	'Version',
	'Format',
	'Timestamp',
	'SignatureMethod',
	'SignatureVersion',
	'SignatureNonce',
	'Signature',
	'AccessKeyId',
	'SecurityToken',
]);

const noPermission = () =>
	new ApiError(403, 'NoPermission', 'You are not authorized to do this action. You should be authorized by RAM.');

function invalid(code: string, message: string): ApiError {
	return new ApiError(400, `InvalidParameter.${code}`, message);
}

/** STS's checks, in the order the real service reports them, then a fresh temporary key. */
function assume(ctx: ServiceContext, caller: KnownKey, params: Record<string, string>) {
	const roleArn = params.RoleArn;
	if (!roleArn) throw missingParameter('RoleArn');
	const match = /^acs:ram::(\d+):role\/([A-Za-z0-9._-]{1,64})$/i.exec(roleArn);
	if (!match) throw invalid('RoleArn', 'The parameter RoleArn is wrongly formed.');
	const sessionName = params.RoleSessionName;
	if (!sessionName) throw missingParameter('RoleSessionName');
	if (!/^[A-Za-z0-9.@_-]{2,64}$/.test(sessionName)) throw invalid('RoleSessionName', 'The parameter RoleSessionName is wrongly formed.');
	const role = EMULATOR_ROLES.find((r) => r.arn.toLowerCase() === roleArn.toLowerCase());
	const duration = params.DurationSeconds === undefined ? 3600 : Number(params.DurationSeconds);
	const maxDuration = role?.maxSessionSeconds ?? 3600;
	if (!Number.isInteger(duration) || duration < 900 || duration > maxDuration) {
		throw invalid('DurationSeconds', `The Min/Max value of DurationSeconds is 15min/${maxDuration / 3600}hr.`);
	}
	if (params.Policy !== undefined) {
		let document: { Statement?: unknown } | undefined;
		try {
			document = JSON.parse(params.Policy) as { Statement?: unknown };
		} catch {
			document = undefined;
		}
		if (!document || !Array.isArray(document.Statement)) throw invalid('PolicyGrammar', 'The parameter Policy has not passed grammar check.');
		if (params.Policy.length > 2048) throw invalid('PolicySize', 'The parameter Policy is too long.');
	}
	if (!role) throw new ApiError(404, 'EntityNotExist.Role', `The specified Role not exists: ${roleArn}`);
	if (role.trusts === 'nobody' || !trustedByAccount(caller.accessKeyId)) throw noPermission();
	if (role.externalId !== undefined && params.ExternalId !== role.externalId) throw noPermission();

	const lifetime = ctx.state.sts.lifetimeSeconds ?? duration;
	const assumedRoleId = `${role.roleId}:${sessionName}`;
	const arn = `acs:ram::${RAM_ROLE_FIXTURES.accountId}:assumed-role/${role.name}/${sessionName}`;
	const key = issueKey(lifetime, {
		IdentityType: 'AssumedRoleUser',
		Arn: arn,
		UserId: role.roleId,
		PrincipalId: assumedRoleId,
		RoleId: role.roleId,
	});
	return {
		AssumedRoleUser: { Arn: arn, AssumedRoleId: assumedRoleId },
		Credentials: {
			SecurityToken: key.securityToken,
			AccessKeyId: key.accessKeyId,
			AccessKeySecret: key.accessKeySecret,
			Expiration: key.expiration,
		},
	};
}

function serve(ex: Exchange, ctx: ServiceContext, caller: KnownKey, signature: 'V3' | 'V2', params: Record<string, string>): void {
	const apiParams = Object.fromEntries(Object.entries(params).filter(([name]) => !SIGNATURE_PARAMS.has(name)));
	const call = { signature, callerAccessKeyId: caller.accessKeyId, params: apiParams, at: Date.now() };
	try {
		const answer = assume(ctx, caller, apiParams);
		ctx.state.sts.calls.push({ ...call, issuedAccessKeyId: answer.Credentials.AccessKeyId });
		ex.sendJson(200, { RequestId: ex.requestId, ...answer });
	} catch (error) {
		if (error instanceof ApiError) ctx.state.sts.calls.push({ ...call, errorCode: error.code });
		throw error;
	}
}

/** V3: parameters in the query (as the SDK sends RPC), or in a form body. */
export function assumeRoleV3(ex: Exchange, ctx: ServiceContext, caller: KnownKey): void {
	serve(ex, ctx, caller, 'V3', v2Params(ex));
}

/** V2 (HMAC-SHA1), the way @alicloud/credentials calls AssumeRole: verified here, as the route is unsigned. */
export function assumeRoleV2(ex: Exchange, ctx: ServiceContext): void {
	const caller = verifyV2Request(ex, ctx.state.nonces);
	serve(ex, ctx, caller, 'V2', v2Params(ex));
}
