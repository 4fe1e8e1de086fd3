import type { IDataObject } from 'n8n-workflow';

import {
	conversationFromIceCallLog,
	conversationFromIceLogParts,
	sentenceFromIceLogEntry,
} from '../../nodes/shared/conversation';

/** A call log whose writer flushed a late sentence before an earlier one, and two sentences begin together. */
const OUT_OF_ORDER_LOG: IDataObject = {
	instanceid: 'inst-1',
	startTime: 1755135000.25,
	dialog: [
		{ id: 1, begin: 1.5, role: 'agent', type: 'greeting', text: 'hello' },
		{ id: 4, begin: 9.75, role: 'agent', type: 'normal', text: 'fourth' },
		{ id: 3, begin: 6, role: 'user', type: 'normal', text: 'third' },
		{ id: 2, begin: 6, role: 'agent', type: 'normal', text: 'second' },
	],
};

describe('ICE call log → conversation: spoken order', () => {
	it('sorts a log written out of order by begin, then id, whichever entry point maps it', () => {
		const whole = conversationFromIceCallLog(OUT_OF_ORDER_LOG);
		const { dialog, ...header } = OUT_OF_ORDER_LOG;
		const parts = conversationFromIceLogParts(header, (dialog as IDataObject[]).map(sentenceFromIceLogEntry));

		for (const conversation of [whole, parts]) {
			expect(conversation.sentences.map((s) => s.text)).toEqual(['hello', 'second', 'third', 'fourth']);
			expect(conversation.sentences.map((s) => s.id)).toEqual([1, 2, 3, 4]);
			expect(conversation).toMatchObject({ source: 'ice', instanceId: 'inst-1', startedAt: '2025-08-14T01:30:00.250Z' });
		}
	});
});
