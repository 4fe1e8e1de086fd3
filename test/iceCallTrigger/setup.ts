import type { IDataObject } from 'n8n-workflow';

import { EMULATOR_KEYS, type Emulator } from '../emulator';
import { emulatorCredentials } from '../helpers/credentials';
import { PollHarness } from '../helpers/poll';

export const TRIGGER_TYPE = 'alibabaIceCallTrigger';
export const STATE_KEY = 'iceCallTrigger';

export function trigger(emu: Emulator, parameters: IDataObject, savedStaticData?: IDataObject): PollHarness {
	return new PollHarness({
		type: TRIGGER_TYPE,
		parameters,
		credentials: emulatorCredentials(emu.url, EMULATOR_KEYS),
		savedStaticData,
	});
}

export interface TriggerState {
	aiAgentId: string;
	lowWater: number;
	floor: number;
	emitted: Record<string, number>;
	pending: Array<{ key: string; instanceId: string | null; attempts: number; status: string | null }>;
}

/** The trigger's state as n8n last saved it. */
export function savedState(harness: PollHarness): TriggerState | undefined {
	return (harness.saved['node:Trigger'] as IDataObject | undefined)?.[STATE_KEY] as TriggerState | undefined;
}

export function liveState(harness: PollHarness): TriggerState | undefined {
	return harness.liveNodeData()[STATE_KEY] as TriggerState | undefined;
}

export async function pollItems(harness: PollHarness): Promise<IDataObject[]> {
	const result = await harness.poll();
	if (!result.ok) throw result.error;
	return result.items.map((item) => item.json);
}

export const sleepMs = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));
