import type { Exchange } from '../exchange';
import { FIXTURES } from '../fixture-ids';
import type { KnownKey } from '../keys';

/** GetCallerIdentity: the call n8n's credential test makes. */
export function getCallerIdentity(ex: Exchange, caller: KnownKey): void {
	const account = FIXTURES.sts.accountId;
	const identity = caller.identity ??
		(caller.kind === 'ram'
			? {
					IdentityType: 'RAMUser',
					Arn: `acs:ram::${account}:user/emulator`,
					UserId: '216959339000000001',
					PrincipalId: '216959339000000001',
				}
			: {
					IdentityType: 'AssumedRoleUser',
					Arn: `acs:ram::${account}:assumed-role/emulatorrole/n8n-session`,
					UserId: '300800165000000002',
					PrincipalId: '300800165000000002:n8n-session',
					RoleId: '300800165000000002',
				});
	ex.sendJson(200, { RequestId: ex.requestId, AccountId: account, ...identity });
}
