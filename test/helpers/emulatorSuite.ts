import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { type Emulator, EMULATOR_KEYS, startEmulator } from '../emulator';
import { emulatorCredentials } from './credentials';

/** Values that must never appear in an output item or an error. */
export const SECRETS = [EMULATOR_KEYS.accessKeySecret, EMULATOR_KEYS.sts.accessKeySecret, EMULATOR_KEYS.sts.securityToken];

export interface EmulatorContext {
	emulator: Emulator;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	stsCredentials: Record<string, ICredentialDataDecryptedObject>;
}

/** One emulator per test file, reset before every test, with RAM-key and STS credentials for it. */
export function useEmulatorContext(): EmulatorContext {
	const context = {} as EmulatorContext;
	beforeAll(async () => {
		context.emulator = await startEmulator({ port: 0 });
		context.credentials = emulatorCredentials(context.emulator.url, EMULATOR_KEYS);
		context.stsCredentials = emulatorCredentials(context.emulator.url, EMULATOR_KEYS.sts);
	});
	afterAll(async () => {
		await context.emulator.close();
	});
	beforeEach(() => context.emulator.reset());
	return context;
}

export function jsonOf(items: INodeExecutionData[]): IDataObject[] {
	return items.map((item) => item.json);
}

export function pairedIndexes(items: INodeExecutionData[]): number[] {
	return items.map((item) => {
		const paired = Array.isArray(item.pairedItem) ? item.pairedItem[0] : item.pairedItem;
		return typeof paired === 'number' ? paired : (paired?.item ?? -1);
	});
}
