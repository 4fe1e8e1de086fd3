import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { FIXTURES } from '../emulator';
import { registerNodeType, runWorkflow } from '../helpers/engine';
import { credentialOf, ramRoleData, sleepMs, storedSession, useRamRoleEmulator } from './setup';

/**
 * The HTTP Request node signs with a predefined credential through n8n's helpers, not through the
 * package's transport: the legacy requestWithAuthentication (HTTP Request v3/v4), which renews
 * after any error, and httpRequestWithAuthentication, which renews after a 401. This probe calls
 * them exactly so, reading the stored credential afresh on every request as n8n does.
 */
const PROBE = 'test.ramRoleHttpProbe';

class HttpProbe implements INodeType {
	description = {
		displayName: 'RAM role HTTP probe',
		name: PROBE,
		group: ['transform'],
		version: 1,
		description: 'Calls ICE through n8n request helpers',
		defaults: { name: 'Probe' },
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'alibabaCloudRamRoleApi', required: true }],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const out: INodeExecutionData[] = [];
		for (const [index, item] of this.getInputData().entries()) {
			const { helper, instanceId } = item.json as { helper: 'legacy' | 'http'; instanceId: string };
			const url = `${String((await this.getCredentials('alibabaCloudRamRoleApi')).iceEndpoint)}/`;
			const headers = { 'x-acs-action': 'DescribeAIAgentInstance', 'x-acs-version': FIXTURES.ice.version };
			try {
				const body =
					helper === 'legacy'
						? await this.helpers.requestWithAuthentication.call(this, 'alibabaCloudRamRoleApi', { method: 'POST', uri: url, qs: { InstanceId: instanceId }, headers, json: true })
						: await this.helpers.httpRequestWithAuthentication.call(this, 'alibabaCloudRamRoleApi', { method: 'POST', url, qs: { InstanceId: instanceId }, headers, json: true });
				out.push({ json: { ok: true, sessionId: (body as IDataObject)?.Instance && ((body as IDataObject).Instance as IDataObject).SessionId }, pairedItem: { item: index } });
			} catch (error) {
				out.push({ json: { ok: false, error: (error as Error).message }, pairedItem: { item: index } });
			}
		}
		return [out];
	}
}
registerNodeType(PROBE, new HttpProbe());

describe('RAM role credential used by n8n request helpers (HTTP Request node style)', () => {
	const ctx = useRamRoleEmulator();
	const iceCalls = () => ctx.emu.requests.filter((r) => r.action === 'DescribeAIAgentInstance');

	async function probe(data: ICredentialDataDecryptedObject, items: IDataObject[]) {
		const result = await runWorkflow({
			nodes: [{ name: 'Probe', type: PROBE, credentials: ['alibabaCloudRamRoleApi'] }],
			credentials: { alibabaCloudRamRoleApi: data },
			input: items,
		});
		return result.output('Probe').map((i) => i.json);
	}

	it.each(['legacy', 'http'] as const)('%s helper: assumes the role on first use, renews once past the refresh window', async (helper) => {
		ctx.emu.sts.lifetimeSeconds = 4;
		const stored = ramRoleData(ctx.emu.url);
		const first = await probe(stored, [{ helper, instanceId: FIXTURES.ice.seedInstanceId }, { helper, instanceId: FIXTURES.ice.seedInstanceId }]);
		expect(first).toEqual([
			{ ok: true, sessionId: expect.any(String) },
			{ ok: true, sessionId: expect.any(String) },
		]);
		expect(ctx.emu.sts.calls).toHaveLength(1);
		const old = storedSession(stored)!;

		await sleepMs(Math.max(0, old.refreshAt - Date.now()) + 50);
		const before = iceCalls().length;
		const second = await probe(stored, [{ helper, instanceId: FIXTURES.ice.seedInstanceId }]);

		expect(second).toEqual([{ ok: true, sessionId: expect.any(String) }]);
		expect(ctx.emu.sts.calls).toHaveLength(2);
		// The due key was never sent: the renewal happened before the first byte.
		const sent = iceCalls().slice(before);
		expect(sent.map((r) => [r.status, credentialOf(r.headers.authorization)])).toEqual([[200, storedSession(stored)!.accessKeyId]]);
	});

	it('legacy helper: an API error (unknown instance) is retried by n8n once but costs no AssumeRole', async () => {
		const stored = ramRoleData(ctx.emu.url);
		await probe(stored, [{ helper: 'legacy', instanceId: FIXTURES.ice.seedInstanceId }]);
		const failed = await probe(stored, [{ helper: 'legacy', instanceId: FIXTURES.ice.unknownInstanceId }]);

		expect(failed[0]).toMatchObject({ ok: false });
		expect(ctx.emu.sts.calls).toHaveLength(1);
	});
});
