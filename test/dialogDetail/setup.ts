import type { ICredentialDataDecryptedObject, IDataObject, INodeExecutionData } from 'n8n-workflow';

import { type Emulator, EMULATOR_KEYS, FIXTURES, startEmulator } from '../emulator';
import { emulatorCredentials } from '../helpers/credentials';

export const NODE_TYPE = 'alibabaDialogDetail';
export const DIANJIN = FIXTURES.dianjin;

/** Values that must never appear in an output item or an error. */
export const SECRETS = [
	EMULATOR_KEYS.accessKeySecret,
	EMULATOR_KEYS.sts.accessKeySecret,
	EMULATOR_KEYS.sts.securityToken,
];

export interface DialogDetailContext {
	emulator: Emulator;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	stsCredentials: Record<string, ICredentialDataDecryptedObject>;
}

/** One emulator per test file, reset before every test. */
export function useEmulator(): DialogDetailContext {
	const context = {} as DialogDetailContext;
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

function textOf(value: unknown): string {
	if (typeof value === 'string') return value;
	if (value instanceof Error) {
		const extra = value as Error & { description?: unknown; context?: unknown };
		return [value.message, String(extra.description ?? ''), value.stack ?? '', JSON.stringify(extra.context ?? {}), JSON.stringify(value)].join('\n');
	}
	return JSON.stringify(value) ?? '';
}

export function expectNoSecrets(...values: unknown[]): void {
	for (const value of values) {
		const text = textOf(value);
		for (const secret of SECRETS) expect(text).not.toContain(secret);
	}
}

/** Message and description together, as a user sees them. */
export function errorText(error: (Error & { description?: string | null }) | undefined): string {
	return `${error?.message ?? ''}\n${error?.description ?? ''}`;
}
