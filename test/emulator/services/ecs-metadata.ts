import { randomBytes } from 'node:crypto';

import type { Exchange } from '../exchange';
import type { ServiceContext } from '../service-context';
import { issueKey } from '../sts-sessions';
import { RAM_ROLE_FIXTURES } from './ram-roles';

const CREDENTIALS_PATH = '/latest/meta-data/ram/security-credentials/';

/**
 * The ECS instance metadata server in IMDSv2-only ("hardened") mode: PUT /latest/api/token with
 * x-aliyun-ecs-metadata-token-ttl-seconds (1-21600) gives a token; every read needs it in
 * x-aliyun-ecs-metadata-token, or gets 401.
 */
export function ecsMetadata(ex: Exchange, ctx: ServiceContext): void {
	const sts = ctx.state.sts;
	const now = Date.now();
	if (ex.rawPath === '/latest/api/token') {
		if (ex.method !== 'PUT') return ex.sendText(405, 'text/plain', 'Method Not Allowed');
		const ttl = Number(ex.header('x-aliyun-ecs-metadata-token-ttl-seconds'));
		if (!Number.isInteger(ttl) || ttl < 1 || ttl > 21600) return ex.sendText(400, 'text/plain', 'Bad Request');
		const token = randomBytes(24).toString('base64url');
		sts.metadataTokens.set(token, now + ttl * 1000);
		return ex.sendText(200, 'text/plain', token);
	}
	const token = ex.header('x-aliyun-ecs-metadata-token') ?? '';
	const lapses = sts.metadataTokens.get(token);
	if (lapses === undefined || lapses <= now) return ex.sendText(401, 'text/plain', 'Unauthorized');
	if (ex.method !== 'GET' || !ex.rawPath.startsWith(CREDENTIALS_PATH)) return ex.sendText(404, 'text/plain', 'Not Found');
	const name = decodeURIComponent(ex.rawPath.slice(CREDENTIALS_PATH.length));
	if (!name) {
		if (!sts.ecsRoleName) return ex.sendText(404, 'text/plain', 'Not Found');
		return ex.sendText(200, 'text/plain', sts.ecsRoleName);
	}
	if (name !== sts.ecsRoleName) return ex.sendText(404, 'text/plain', 'Not Found');
	sts.metadataCredentialReads++;
	const key = issueKey(sts.lifetimeSeconds ?? RAM_ROLE_FIXTURES.ecsLifetimeSeconds, {
		IdentityType: 'AssumedRoleUser',
		Arn: `acs:ram::${RAM_ROLE_FIXTURES.accountId}:assumed-role/${name.toLowerCase()}/ecs-instance`,
		UserId: '300800165000000009',
		PrincipalId: '300800165000000009:ecs-instance',
		RoleId: '300800165000000009',
	});
	ex.sendJson(200, {
		AccessKeyId: key.accessKeyId,
		AccessKeySecret: key.accessKeySecret,
		Expiration: key.expiration,
		SecurityToken: key.securityToken,
		LastUpdated: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
		Code: 'Success',
	});
}
