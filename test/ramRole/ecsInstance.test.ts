import { FIXTURES, RAM_ROLE_FIXTURES } from '../emulator';
import { testCredential } from '../helpers/credentialTest';
import { ramRoleData, runIceWithRole, sleepMs, storedSession, useRamRoleEmulator } from './setup';

describe('ECS instance RAM role (IMDSv2 metadata server)', () => {
	const ctx = useRamRoleEmulator();
	const ecs = (overrides = {}) => ramRoleData(ctx.emu.url, { credentialSource: 'ecsInstance', ...overrides });
	const metadata = () => ctx.emu.requests.filter((r) => r.path.startsWith('/latest/'));

	it('gets a token with PUT, discovers the role, reads its keys with the token, and signs with them', async () => {
		const stored = ecs();
		const result = await runIceWithRole(stored, FIXTURES.ice.seedInstanceId, 20);

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(20);
		expect(metadata().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
			'PUT /latest/api/token 200',
			'GET /latest/meta-data/ram/security-credentials/ 200',
			`GET /latest/meta-data/ram/security-credentials/${RAM_ROLE_FIXTURES.ecsRoleName} 200`,
		]);
		expect(metadata()[0].headers['x-aliyun-ecs-metadata-token-ttl-seconds']).toBe('21600');
		expect(ctx.emu.sts.metadataCredentialReads).toBe(1);
		expect(storedSession(stored)?.identity).toBe(`ecs-instance-role/${RAM_ROLE_FIXTURES.ecsRoleName}`);
	});

	it('uses the named role without discovery, and renews once past the refresh window', async () => {
		ctx.emu.sts.lifetimeSeconds = 4;
		const stored = ecs({ ecsRoleName: RAM_ROLE_FIXTURES.ecsRoleName });
		await runIceWithRole(stored, FIXTURES.ice.seedInstanceId, 5);
		expect(metadata().map((r) => r.method)).toEqual(['PUT', 'GET']);
		const first = storedSession(stored)!;

		await sleepMs(Math.max(0, first.refreshAt - Date.now()) + 50);
		const again = await runIceWithRole(stored, FIXTURES.ice.seedInstanceId, 10);
		expect(again.error).toBeUndefined();
		expect(ctx.emu.sts.metadataCredentialReads).toBe(2);
		expect(storedSession(stored)!.accessKeyId).not.toBe(first.accessKeyId);
	});

	it('the emulated metadata server insists on IMDSv2 tokens', async () => {
		const read = await fetch(`${ctx.emu.url}/latest/meta-data/ram/security-credentials/`);
		expect(read.status).toBe(401);
		const noTtl = await fetch(`${ctx.emu.url}/latest/api/token`, { method: 'PUT' });
		expect(noTtl.status).toBe(400);
	});

	it('an unreachable metadata server: "this n8n is not running on an Alibaba Cloud ECS instance"', async () => {
		const result = await testCredential('alibabaCloudRamRoleApi', ecs({ metadataBaseUrl: 'http://127.0.0.1:9' }));
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/metadata server at http:\/\/127\.0\.0\.1:9 did not answer \(connection refused\): this n8n is not running on an Alibaba Cloud ECS instance, or the instance has no RAM role attached/);

		const node = await runIceWithRole(ecs({ metadataBaseUrl: 'http://127.0.0.1:9' }), FIXTURES.ice.seedInstanceId, 1);
		expect(node.error?.message).toMatch(/not running on an Alibaba Cloud ECS instance/);
	});

	it('an instance without a role, and a role name the instance does not have, each say so', async () => {
		ctx.emu.sts.ecsRoleName = null;
		const none = await testCredential('alibabaCloudRamRoleApi', ecs());
		expect(none.message).toMatch(/This ECS instance has no RAM role attached/);

		ctx.emu.sts.ecsRoleName = RAM_ROLE_FIXTURES.ecsRoleName;
		const wrong = await testCredential('alibabaCloudRamRoleApi', ecs({ ecsRoleName: 'OtherRole' }));
		expect(wrong.message).toMatch(/no RAM role named "OtherRole"/);
	});
});
