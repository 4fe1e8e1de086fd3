import type { ICredentialDataDecryptedObject, IDataObject } from 'n8n-workflow';

import { sessionCache } from '../../credentials/common/ramRole/sessionCache';
import { parseSession, type TemporarySession } from '../../credentials/common/ramRole/session';
import { EMULATOR_KEYS, RAM_ROLE_FIXTURES, startEmulator, type Emulator } from '../emulator';
import { credentialWrites, runWorkflow } from '../helpers/engine';

/** One emulator per file; before each test it is reset and the in-process key cache emptied. */
export function useRamRoleEmulator(): { readonly emu: Emulator } {
	const ref = {} as { emu: Emulator };
	beforeAll(async () => {
		ref.emu = await startEmulator({ port: 0 });
	});
	afterAll(async () => ref.emu.close());
	beforeEach(() => {
		ref.emu.reset();
		sessionCache.clear();
		credentialWrites.length = 0;
	});
	return ref;
}

/** A RAM role credential (AssumeRole from the emulator's RAM user key) with every endpoint on the emulator. */
export function ramRoleData(url: string, overrides: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return {
		credentialSource: 'assumeRole',
		accessKeyId: EMULATOR_KEYS.accessKeyId,
		accessKeySecret: EMULATOR_KEYS.accessKeySecret,
		securityToken: '',
		roleArn: RAM_ROLE_FIXTURES.roleArn,
		roleSessionName: 'n8n',
		durationSeconds: 3600,
		externalId: '',
		policy: '',
		stsEndpointType: 'public',
		ecsRoleName: '',
		metadataBaseUrl: url,
		region: 'cn-shanghai',
		customEndpoints: true,
		iceEndpoint: url,
		chatbotEndpoint: url,
		chatbotStreamEndpoint: url,
		ccaiEndpoint: url,
		dianjinEndpoint: url,
		stsEndpoint: url,
		temporaryCredentials: '',
		...overrides,
	};
}

export function storedSession(data: ICredentialDataDecryptedObject): TemporarySession | undefined {
	return parseSession(data.temporaryCredentials);
}

/** ICE Get Instance for `count` items at once, signed with the RAM role credential `data` (the "stored" credential). */
export async function runIceWithRole(data: ICredentialDataDecryptedObject, instanceId: string, count = 1, extra: IDataObject = {}) {
	const result = await runWorkflow({
		nodes: [
			{
				name: 'Node',
				type: 'alibabaIceArchive',
				parameters: { authentication: 'ramRole', operation: 'getInstance', instanceId, options: { concurrency: count }, ...extra },
				credentials: ['alibabaCloudRamRoleApi'],
			},
		],
		credentials: { alibabaCloudRamRoleApi: data },
		input: Array.from({ length: count }, (_, i) => ({ i })),
	});
	const items = result.run.data.resultData.runData.Node?.[0]?.data?.main?.[0] ?? [];
	return { ...result, items, error: result.error('Node') };
}

export function credentialOf(authorization: string | undefined): string | undefined {
	return /Credential=([^,]+)/.exec(authorization ?? '')?.[1];
}

export const sleepMs = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
