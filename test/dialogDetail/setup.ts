import { FIXTURES } from '../emulator';
import { type EmulatorContext, SECRETS, useEmulatorContext } from '../helpers/emulatorSuite';

export { jsonOf, pairedIndexes, SECRETS } from '../helpers/emulatorSuite';
export type DialogDetailContext = EmulatorContext;
export const useEmulator = useEmulatorContext;

export const NODE_TYPE = 'alibabaDialogDetail';
export const DIANJIN = FIXTURES.dianjin;

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
