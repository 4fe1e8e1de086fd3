import type { IDataObject } from 'n8n-workflow';

import { EMULATOR_KEYS, FIXTURES, startEmulator, type Emulator } from '../emulator';
import { emulatorCredentials } from '../helpers/credentials';
import { runNode } from '../helpers/engine';

export const ICE = FIXTURES.ice;
export const NODE_TYPE = 'alibabaIceArchive';

/** One emulator per test file, reset before each test. */
export function useEmulator(): { readonly emu: Emulator } {
	const ref = {} as { emu: Emulator };
	beforeAll(async () => {
		ref.emu = await startEmulator({ port: 0 });
	});
	afterAll(async () => {
		await ref.emu.close();
	});
	beforeEach(() => ref.emu.reset());
	return ref;
}

export interface ArchiveRunOptions {
	input?: IDataObject[];
	continueOnFail?: boolean;
}

export async function runArchive(emu: Emulator, parameters: IDataObject, options: ArchiveRunOptions = {}) {
	const result = await runNode(NODE_TYPE, parameters, {
		credentials: emulatorCredentials(emu.url, EMULATOR_KEYS),
		input: options.input ?? [{}],
		continueOnFail: options.continueOnFail,
	});
	const error = result.error('Node');
	return { ...result, error, json: result.items.map((item) => item.json) };
}

/** The node's error as a user sees it (message and description), never undefined. */
export function errorText(error: { message: string; description?: string | null } | undefined): string {
	if (!error) throw new Error('expected the node to fail, but it succeeded');
	return `${error.message}\n${error.description ?? ''}`;
}

/** Neither the AccessKey secret nor a signed URL's query may appear anywhere in a run. */
export function expectNoSecrets(value: unknown): void {
	const text = JSON.stringify(value, (_key, inner: unknown) =>
		inner instanceof Error ? { ...inner, message: inner.message, stack: inner.stack } : inner,
	);
	expect(text).not.toContain(EMULATOR_KEYS.accessKeySecret);
	expect(text).not.toContain('Signature=');
	expect(text).not.toContain('OSSAccessKeyId');
}

export function callsOf(emu: Emulator, action: string) {
	return emu.requests.filter((request) => request.action === action);
}

export function callLogDownloads(emu: Emulator) {
	return emu.requests.filter((request) => request.path.startsWith('/calllogs/'));
}
