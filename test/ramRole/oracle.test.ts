import ECSRAMRoleCredentialsProvider from '@alicloud/credentials/dist/src/providers/ecs_ram_role';
import RAMRoleARNCredentialsProvider from '@alicloud/credentials/dist/src/providers/ram_role_arn';
import StaticAKCredentialsProvider from '@alicloud/credentials/dist/src/providers/static_ak';
import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { AlibabaCloudRamRoleApi } from '../../credentials/AlibabaCloudRamRoleApi.credentials';
import { readRoleSettings, settingsFingerprint } from '../../credentials/common/ramRole/roleSettings';
import { EMULATOR_KEYS, FIXTURES, RAM_ROLE_FIXTURES } from '../emulator';
import { callSigned, send } from '../emulator/signed-client';
import { testCredential } from '../helpers/credentialTest';
import { ramRoleData, storedSession, useRamRoleEmulator } from './setup';

/**
 * @alicloud/credentials (the official provider, dev dependency only) against the emulator's STS and
 * metadata server, next to the package's credential: same role, same parameters, and keys that
 * both the official signer and the package's signer can use.
 */

interface OracleRequest {
	protocol: string;
	host: string;
}
type Doer = (request: OracleRequest) => Promise<unknown>;

/** The providers call https://<stsEndpoint> and http://100.100.100.200; only the address changes. */
function pointAt(provider: object, host: string): void {
	const target = provider as { doRequest: Doer };
	const original = target.doRequest;
	target.doRequest = async (request) => {
		request.protocol = 'http';
		request.host = host;
		return await original(request);
	};
}

const POLICY = '{"Version":"1","Statement":[{"Effect":"Allow","Action":["ice:*","sts:GetCallerIdentity"],"Resource":"*"}]}';

describe('the package against @alicloud/credentials (oracle) on the emulator', () => {
	const ctx = useRamRoleEmulator();
	const host = () => new URL(ctx.emu.url).host;

	async function callerIdentityWith(key: { accessKeyId: string; accessKeySecret: string; securityToken: string }) {
		// Official SDK signature (openapi-util), as any Alibaba SDK would send it.
		const official = await callSigned({ baseUrl: ctx.emu.url, action: 'GetCallerIdentity', version: FIXTURES.sts.version, credentials: key });
		// The package's own signer, through the RAM role credential's authenticate.
		const credential = new AlibabaCloudRamRoleApi();
		const data: ICredentialDataDecryptedObject = ramRoleData(ctx.emu.url);
		data.temporaryCredentials = JSON.stringify({
			...key,
			expiration: new Date(Date.now() + 3600_000).toISOString(),
			refreshAt: Date.now() + 1800_000,
			// Ties the stored key to these settings, as preAuthentication does.
			fingerprint: settingsFingerprint(readRoleSettings(data)),
			identity: '',
		});
		const signed = (await (credential.authenticate as (c: ICredentialDataDecryptedObject, o: IHttpRequestOptions) => Promise<IHttpRequestOptions>)(data, {
			method: 'POST',
			url: `${ctx.emu.url}/`,
			headers: { 'x-acs-action': 'GetCallerIdentity', 'x-acs-version': FIXTURES.sts.version },
		})) as IHttpRequestOptions;
		const own = await send({
			url: signed.url,
			method: 'POST',
			headers: Object.fromEntries(Object.entries(signed.headers ?? {}).map(([k, v]) => [k, String(v)])),
			body: '',
		});
		return { official, own };
	}

	it('AssumeRole: both obtain a key for the same role with the same parameters, each signature verified (V2 and V3)', async () => {
		const oracle = RAMRoleARNCredentialsProvider.builder()
			.withCredentialsProvider(
				StaticAKCredentialsProvider.builder()
					.withAccessKeyId(EMULATOR_KEYS.accessKeyId)
					.withAccessKeySecret(EMULATOR_KEYS.accessKeySecret)
					.build(),
			)
			.withRoleArn(RAM_ROLE_FIXTURES.externalIdRoleArn)
			.withRoleSessionName('n8n-oracle')
			.withDurationSeconds(7200)
			.withExternalId(RAM_ROLE_FIXTURES.externalId)
			.withPolicy(POLICY)
			.withStsEndpoint(host())
			.build();
		pointAt(oracle, host());
		const oracleKey = await oracle.getCredentials();

		const data = ramRoleData(ctx.emu.url, {
			roleArn: RAM_ROLE_FIXTURES.externalIdRoleArn,
			roleSessionName: 'n8n-oracle',
			durationSeconds: 7200,
			externalId: RAM_ROLE_FIXTURES.externalId,
			// Pretty-printed on purpose: the credential sends it compacted, as the oracle was given it.
			policy: JSON.stringify(JSON.parse(POLICY), null, 2),
		});
		expect(await testCredential('alibabaCloudRamRoleApi', data)).toMatchObject({ status: 'OK' });

		const [oracleCall, ownCall] = ctx.emu.sts.calls;
		expect([oracleCall.signature, ownCall.signature]).toEqual(['V2', 'V3']);
		expect(oracleCall.errorCode).toBeUndefined();
		expect(ownCall.errorCode).toBeUndefined();
		expect(ownCall.params).toEqual(oracleCall.params);
		expect(ownCall.params).toEqual({
			RoleArn: RAM_ROLE_FIXTURES.externalIdRoleArn,
			RoleSessionName: 'n8n-oracle',
			DurationSeconds: '7200',
			ExternalId: RAM_ROLE_FIXTURES.externalId,
			Policy: POLICY,
		});
		expect(oracleKey.accessKeyId).toBe(oracleCall.issuedAccessKeyId);

		const ownKey = storedSession(data)!;
		expect(ownKey.accessKeyId).toBe(ownCall.issuedAccessKeyId);
		const keys = [
			{ accessKeyId: oracleKey.accessKeyId, accessKeySecret: oracleKey.accessKeySecret, securityToken: oracleKey.securityToken },
			{ accessKeyId: ownKey.accessKeyId, accessKeySecret: ownKey.accessKeySecret, securityToken: ownKey.securityToken },
		];
		const arns = new Set<string>();
		for (const key of keys) {
			const { official, own } = await callerIdentityWith(key);
			expect([official.status, own.status]).toEqual([200, 200]);
			expect(official.json.Arn).toBe(own.json.Arn);
			arns.add(own.json.Arn as string);
		}
		expect([...arns]).toEqual([`acs:ram::${RAM_ROLE_FIXTURES.accountId}:assumed-role/emulator-external/n8n-oracle`]);
	});

	it('the oracle and the package meet the same STS refusals for a distrustful role', async () => {
		const oracle = RAMRoleARNCredentialsProvider.builder()
			.withCredentialsProvider(
				StaticAKCredentialsProvider.builder().withAccessKeyId(EMULATOR_KEYS.accessKeyId).withAccessKeySecret(EMULATOR_KEYS.accessKeySecret).build(),
			)
			.withRoleArn(RAM_ROLE_FIXTURES.untrustingRoleArn)
			.withRoleSessionName('n8n')
			.withStsEndpoint(host())
			.build();
		pointAt(oracle, host());
		await expect(oracle.getCredentials()).rejects.toThrow(/NoPermission/);
		const own = await testCredential('alibabaCloudRamRoleApi', ramRoleData(ctx.emu.url, { roleArn: RAM_ROLE_FIXTURES.untrustingRoleArn }));
		expect(own.message).toMatch(/NoPermission.*trust policy/);
		expect(ctx.emu.sts.calls.map((c) => [c.signature, c.errorCode])).toEqual([
			['V2', 'NoPermission'],
			['V3', 'NoPermission'],
		]);
	});

	it('ECS instance role over IMDSv2: both read the same role, and both keys sign accepted calls', async () => {
		const oracle = ECSRAMRoleCredentialsProvider.builder().withDisableIMDSv1(true).build();
		pointAt(oracle, host());
		const oracleKey = await oracle.getCredentials();

		const data = ramRoleData(ctx.emu.url, { credentialSource: 'ecsInstance' });
		expect(await testCredential('alibabaCloudRamRoleApi', data)).toMatchObject({ status: 'OK' });
		const ownKey = storedSession(data)!;
		expect(ownKey.identity).toBe(`ecs-instance-role/${RAM_ROLE_FIXTURES.ecsRoleName}`);

		const metadata = ctx.emu.requests.filter((r) => r.path.startsWith('/latest/'));
		const tokenPuts = metadata.filter((r) => r.method === 'PUT');
		expect(tokenPuts.length).toBeGreaterThanOrEqual(2);
		expect(tokenPuts.every((r) => Number(r.headers['x-aliyun-ecs-metadata-token-ttl-seconds']) > 0)).toBe(true);
		const reads = metadata.filter((r) => r.method === 'GET');
		expect(reads.every((r) => r.status === 200 && r.headers['x-aliyun-ecs-metadata-token'])).toBe(true);

		for (const key of [oracleKey, ownKey]) {
			const { official, own } = await callerIdentityWith({
				accessKeyId: key.accessKeyId,
				accessKeySecret: key.accessKeySecret,
				securityToken: key.securityToken,
			});
			expect([official.status, own.status]).toEqual([200, 200]);
			expect(own.json.Arn).toBe(`acs:ram::${RAM_ROLE_FIXTURES.accountId}:assumed-role/ecsemulatorrole/ecs-instance`);
		}
	});
});
