import { sessionCache } from '../../credentials/common/ramRole/sessionCache';
import { EMULATOR_KEYS, RAM_ROLE_FIXTURES } from '../emulator';
import { testCredential } from '../helpers/credentialTest';
import { credentialOf, ramRoleData, useRamRoleEmulator } from './setup';

/** The Test button as n8n's CredentialsTester runs it: preAuthentication (AssumeRole), then GetCallerIdentity. */
describe('RAM role credential: the Test button', () => {
	const ctx = useRamRoleEmulator();
	const test = (overrides = {}) => testCredential('alibabaCloudRamRoleApi', ramRoleData(ctx.emu.url, overrides));
	const identityCalls = () => ctx.emu.requests.filter((r) => r.action === 'GetCallerIdentity');

	it('assumes the role, then calls GetCallerIdentity with the temporary key', async () => {
		const result = await test();

		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(ctx.emu.sts.calls).toHaveLength(1);
		expect(identityCalls()).toHaveLength(1);
		expect(identityCalls()[0].status).toBe(200);
		expect(credentialOf(identityCalls()[0].headers.authorization)).toBe(ctx.emu.sts.calls[0].issuedAccessKeyId);
	});

	it('a role that does not trust the source key: the message names the trust policy (step 1)', async () => {
		const result = await test({ roleArn: RAM_ROLE_FIXTURES.untrustingRoleArn });

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/^Step 1 of 2 \(STS AssumeRole with the source AccessKey\) failed: NoPermission/);
		expect(result.message).toMatch(/trust policy/);
		expect(result.message).toMatch(/sts:AssumeRole/);
		expect(identityCalls()).toHaveLength(0);
	});

	it('a trust policy that requires an External ID the credential does not send: names the trust policy and the External ID', async () => {
		const without = await test({ roleArn: RAM_ROLE_FIXTURES.externalIdRoleArn });
		expect(without.status).toBe('Error');
		expect(without.message).toMatch(/trust policy.*External ID/);

		const withId = await test({ roleArn: RAM_ROLE_FIXTURES.externalIdRoleArn, externalId: RAM_ROLE_FIXTURES.externalId });
		expect(withId.status).toBe('OK');
	});

	it('a wrong source secret: the message blames the source key, not the role', async () => {
		const result = await test({ accessKeySecret: 'not-the-secret' });

		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/SignatureDoesNotMatch.*the source AccessKey secret does not belong to the source AccessKey ID/);
		expect(result.message).not.toContain('not-the-secret');
	});

	it('an unknown source key and a role that does not exist each say so', async () => {
		const unknownKey = await test({ accessKeyId: 'LTAI5tNoSuchKey000' });
		expect(unknownKey.message).toMatch(/InvalidAccessKeyId\.NotFound.*source AccessKey ID is unknown/);

		const missingRole = await test({ roleArn: RAM_ROLE_FIXTURES.missingRoleArn });
		expect(missingRole.message).toMatch(/EntityNotExist\.Role.*does not exist/);
	});

	it('a Duration above the role\'s maximum session: names the maximum session duration', async () => {
		const result = await test({ durationSeconds: 7200 });
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/InvalidParameter\.DurationSeconds.*maximum session duration/);
	});

	it('checks the settings before calling STS', async () => {
		const userArn = await test({ roleArn: `acs:ram::${RAM_ROLE_FIXTURES.accountId}:user/alice` });
		expect(userArn.message).toMatch(/ARN of a RAM user, not of a role/);
		const badPolicy = await test({ policy: '{"Statement": ' });
		expect(badPolicy.message).toMatch(/Policy is not valid JSON/);
		const shortDuration = await test({ durationSeconds: 600 });
		expect(shortDuration.message).toMatch(/from 900 to 43200/);
		expect(ctx.emu.sts.calls).toHaveLength(0);
	});

	it('STS throttling: the renewal waits and retries twice, re-signed each time, then gives up saying so', async () => {
		const assumeRequests = () => ctx.emu.requests.filter((r) => r.action === 'AssumeRole');
		ctx.emu.addFault({ kind: 'throttle', match: { action: 'AssumeRole' }, times: 2 });
		expect((await test()).status).toBe('OK');
		expect(assumeRequests().map((r) => r.status)).toEqual([400, 400, 200]);
		expect(new Set(assumeRequests().map((r) => r.headers['x-acs-signature-nonce'])).size).toBe(3);

		ctx.emu.reset();
		sessionCache.clear();
		ctx.emu.addFault({ kind: 'throttle', match: { action: 'AssumeRole' }, times: 3 });
		const result = await test();
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/Step 1 of 2 .*Throttling\.User/);
		expect(assumeRequests()).toHaveLength(3);
	});

	it('works from a source STS key (role chaining) and from the ECS instance role', async () => {
		const chained = await test({ ...EMULATOR_KEYS.sts });
		expect(chained.status).toBe('OK');
		expect(ctx.emu.sts.calls[0].callerAccessKeyId).toBe(EMULATOR_KEYS.sts.accessKeyId);

		const ecs = await test({ credentialSource: 'ecsInstance' });
		expect(ecs).toEqual({ status: 'OK', message: 'Connection successful!' });
	});
});
