import type { IDataObject } from 'n8n-workflow';

import { useEmulatorContext } from '../helpers/emulatorSuite';
import { pollItems, savedState, trigger } from './setup';

const AGENT = 'agent-options-test';
const MINUTE = 60_000;

/**
 * The ICE Call Trigger's numeric options go through the shared validator: a value that makes no
 * sense (typically from an expression) fails the poll with the option named, before any call,
 * instead of falling back to a default or turning a guard off.
 */
describe('ICE Call Trigger: numeric options validated like every node', () => {
	const ctx = useEmulatorContext();

	it.each([
		['maxWaitHours', 0, 'Max Wait For Unfinished Call (Hours)', 'is 0, which is not a number from 0.0001 to 720'],
		['maxWaitHours', -1, 'Max Wait For Unfinished Call (Hours)', 'is -1'],
		['maxWaitHours', 'abc', 'Max Wait For Unfinished Call (Hours)', 'is "abc"'],
		['logRetries', -1, 'Log Download Retries', 'is -1, which is not a whole number from 0 to 100'],
		['logRetries', 1.5, 'Log Download Retries', 'is 1.5'],
		['logRetries', Number.NaN, 'Log Download Retries', 'is NaN'],
		['overlapMinutes', -10, 'Overlap Window (Minutes)', 'is -10, which is not a number from 0 to 1440'],
		['overlapMinutes', 'ten', 'Overlap Window (Minutes)', 'is "ten"'],
		['concurrency', 0, 'Concurrency', 'is 0, which is not a whole number from 1 to 1000'],
		['maxDownloadSizeMb', 0, 'Max Download Size (MB)', 'is 0'],
	])('%s = %p fails the poll with the option named and calls nothing', async (name, value, label, shown) => {
		const harness = trigger(ctx.emulator, { aiAgentId: AGENT, options: { [name]: value } });
		const result = await harness.poll();
		if (result.ok) throw new Error('the poll should have failed');
		expect(result.error.message.startsWith(`The option "${label}" ${shown}`)).toBe(true);
		expect(result.error.description).toContain('fix the expression');
		expect(ctx.emulator.requests).toHaveLength(0);
		expect(savedState(harness)).toBeUndefined();
	});

	it('takes 0 for Log Download Retries and Overlap Window (none) and empty values as the defaults', async () => {
		const now = Date.now();
		const [done] = ctx.emulator.ice.addCalls(AGENT, [{ createdAt: now - 5 * MINUTE }]);
		const options: IDataObject = { logRetries: 0, overlapMinutes: 0, maxWaitHours: '', concurrency: '' };
		const harness = trigger(ctx.emulator, { aiAgentId: AGENT, startFrom: new Date(now - 10 * MINUTE).toISOString(), options });
		expect((await pollItems(harness)).map((item) => item.instanceId)).toEqual([done]);
	});
});
