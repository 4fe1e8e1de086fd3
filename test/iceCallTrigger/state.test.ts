import { pruneEmitted } from '../../nodes/AlibabaIceCallTrigger/poll/state';
import { toApiIso } from '../../nodes/AlibabaIceArchive/helpers/time';

describe('ICE Call Trigger state: which emitted calls are remembered', () => {
	it('keeps a call the next listing can still return because its start is floored to the second', () => {
		const nextListStart = Date.parse('2025-08-14T06:00:00.500Z');
		// What ListAIAgentInstance is actually asked for: the whole second, so a call at 06:00:00.100 is listed again.
		expect(toApiIso(nextListStart, 'start')).toBe('2025-08-14T06:00:00Z');
		const emitted = {
			sameSecond: Date.parse('2025-08-14T06:00:00.100Z'),
			secondBefore: Date.parse('2025-08-14T05:59:59.400Z'),
			later: Date.parse('2025-08-14T06:05:00.000Z'),
		};

		expect(pruneEmitted(emitted, nextListStart)).toEqual({ sameSecond: emitted.sameSecond, later: emitted.later });
	});
});
