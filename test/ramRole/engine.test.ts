import { FIXTURES, RAM_ROLE_FIXTURES } from '../emulator';
import { credentialWrites } from '../helpers/engine';
import { credentialOf, ramRoleData, runIceWithRole, sleepMs, storedSession, useRamRoleEmulator } from './setup';

const INSTANCE = FIXTURES.ice.seedInstanceId;

describe('RAM role credential in the n8n engine (ICE Archive, Authentication = RAM Role)', () => {
	const ctx = useRamRoleEmulator();
	const iceCalls = () => ctx.emu.requests.filter((r) => r.action === 'DescribeAIAgentInstance');

	it('100 items in parallel on a fresh credential cause exactly one AssumeRole, and every call is signed with its key', async () => {
		const stored = ramRoleData(ctx.emu.url);
		const result = await runIceWithRole(stored, INSTANCE, 100);

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(100);
		expect(ctx.emu.sts.calls).toHaveLength(1);
		const issued = ctx.emu.sts.calls[0].issuedAccessKeyId;
		expect(issued).toMatch(/^STS\./);
		expect(iceCalls()).toHaveLength(100);
		expect(new Set(iceCalls().map((r) => credentialOf(r.headers.authorization)))).toEqual(new Set([issued]));
		expect(iceCalls().every((r) => r.status === 200)).toBe(true);
		// n8n wrote the key back into the stored credential (its database), encrypted there.
		expect(storedSession(stored)?.accessKeyId).toBe(issued);
		expect(credentialWrites.length).toBeGreaterThanOrEqual(1);
		expect(credentialWrites.every((w) => storedSession(w.data)?.accessKeyId === issued)).toBe(true);
	});

	it('reuses the stored key in later executions without calling STS', async () => {
		const stored = ramRoleData(ctx.emu.url);
		await runIceWithRole(stored, INSTANCE, 3);
		const second = await runIceWithRole(stored, INSTANCE, 3);
		const third = await runIceWithRole(stored, INSTANCE, 3);

		expect(second.error).toBeUndefined();
		expect(third.error).toBeUndefined();
		expect(ctx.emu.sts.calls).toHaveLength(1);
	});

	it('a key read back from storage (another worker, a restart) is used without calling STS', async () => {
		const stored = ramRoleData(ctx.emu.url);
		await runIceWithRole(stored, INSTANCE, 1);
		const { sessionCache } = await import('../../credentials/common/ramRole/sessionCache');
		sessionCache.clear();
		const again = await runIceWithRole(stored, INSTANCE, 5);

		expect(again.error).toBeUndefined();
		expect(ctx.emu.sts.calls).toHaveLength(1);
	});

	it('crossing the refresh window renews exactly once, before any call is sent with the old key', async () => {
		ctx.emu.sts.lifetimeSeconds = 4;
		const stored = ramRoleData(ctx.emu.url);
		await runIceWithRole(stored, INSTANCE, 5);
		const first = storedSession(stored)!;
		const inside = await runIceWithRole(stored, INSTANCE, 5);
		expect(inside.error).toBeUndefined();
		expect(ctx.emu.sts.calls).toHaveLength(1);

		await sleepMs(Math.max(0, first.refreshAt - Date.now()) + 50);
		const sentBefore = iceCalls().length;
		const crossed = await runIceWithRole(stored, INSTANCE, 50);

		expect(crossed.error).toBeUndefined();
		expect(ctx.emu.sts.calls).toHaveLength(2);
		const renewed = storedSession(stored)!;
		expect(renewed.accessKeyId).not.toBe(first.accessKeyId);
		const afterCrossing = iceCalls().slice(sentBefore);
		expect(afterCrossing).toHaveLength(50);
		expect(new Set(afterCrossing.map((r) => credentialOf(r.headers.authorization)))).toEqual(new Set([renewed.accessKeyId]));
	});

	it('an InvalidSecurityToken.Expired answer renews once and retries once, then succeeds', async () => {
		const stored = ramRoleData(ctx.emu.url);
		await runIceWithRole(stored, INSTANCE, 1);
		const old = storedSession(stored)!;
		ctx.emu.sts.expireIssuedKeys();
		const sentBefore = iceCalls().length;

		const result = await runIceWithRole(stored, INSTANCE, 1);

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(ctx.emu.sts.calls).toHaveLength(2);
		const attempts = iceCalls().slice(sentBefore);
		expect(attempts.map((r) => r.status)).toEqual([400, 200]);
		expect(credentialOf(attempts[0].headers.authorization)).toBe(old.accessKeyId);
		expect(credentialOf(attempts[1].headers.authorization)).toBe(storedSession(stored)!.accessKeyId);
	});

	it('20 parallel items refused with an expired key share one renewal, each retried once', async () => {
		const stored = ramRoleData(ctx.emu.url);
		await runIceWithRole(stored, INSTANCE, 1);
		ctx.emu.sts.expireIssuedKeys();
		const sentBefore = iceCalls().length;

		const result = await runIceWithRole(stored, INSTANCE, 20);

		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(20);
		expect(ctx.emu.sts.calls).toHaveLength(2);
		const attempts = iceCalls().slice(sentBefore);
		expect(attempts.filter((r) => r.status === 200)).toHaveLength(20);
		expect(attempts.filter((r) => r.status === 400).length).toBeLessThanOrEqual(20);
	});

	it('a wrong role fails the node with a message about the trust policy, and sends nothing to ICE', async () => {
		const stored = ramRoleData(ctx.emu.url, { roleArn: RAM_ROLE_FIXTURES.untrustingRoleArn });
		const result = await runIceWithRole(stored, INSTANCE, 1);

		expect(result.error?.message).toMatch(/trust policy/);
		expect(iceCalls()).toHaveLength(0);
		expect(ctx.emu.sts.calls.map((c) => c.errorCode)).toEqual(['NoPermission']);
	});
});
