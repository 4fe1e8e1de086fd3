import fc from 'fast-check';

import { inSpokenOrder, SpokenOrderCheck, type ConversationSentence } from '../../nodes/shared/conversation';

/** The order as first written: a stable sort on begin, then numeric id, else source order. */
function reference(sentences: ConversationSentence[]): ConversationSentence[] {
	const keyed = sentences.map((sentence, index) => ({ sentence, index }));
	keyed.sort((a, b) => {
		const [ab, bb] = [a.sentence.begin, b.sentence.begin];
		if (typeof ab === 'number' && typeof bb === 'number' && ab !== bb) return ab - bb;
		const [ai, bi] = [a.sentence.id, b.sentence.id];
		if (typeof ai === 'number' && typeof bi === 'number' && ai !== bi) return ai - bi;
		return a.index - b.index;
	});
	return keyed.map(({ sentence }) => sentence);
}

const sentence = fc.record(
	{
		role: fc.constant('user' as const),
		text: fc.string({ maxLength: 3 }),
		begin: fc.integer({ min: 0, max: 5 }),
		id: fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant('x')),
	},
	{ requiredKeys: ['role', 'text'] },
);

describe('inSpokenOrder', () => {
	it('orders exactly as the stable sort, whether the input is already in order or not', () => {
		fc.assert(
			fc.property(fc.array(sentence, { maxLength: 12 }), fc.boolean(), (sentences, presort) => {
				const input = presort ? reference(sentences) : sentences;
				expect(inSpokenOrder(input)).toEqual(reference(input));
				// Same objects, never copies.
				inSpokenOrder(input).forEach((s) => expect(input).toContain(s));
			}),
			{ numRuns: 500 },
		);
	});

	it('a list checked while it was built (SpokenOrderCheck) is ordered exactly as the stable sort too', () => {
		fc.assert(
			fc.property(fc.array(sentence, { maxLength: 12 }), fc.boolean(), (sentences, presort) => {
				const input = presort ? reference(sentences) : sentences;
				const check = new SpokenOrderCheck();
				for (const s of input) check.note(s.begin, s.id);
				check.settle(input);
				expect(inSpokenOrder(input)).toEqual(reference(input));
			}),
			{ numRuns: 500 },
		);
	});

	it('returns an ordered log as it is, without a copy', () => {
		const sentences = [1, 2, 3].map((id) => ({ role: 'agent' as const, text: '', begin: id * 1.5, id }));
		expect(inSpokenOrder(sentences)).toBe(sentences);
	});
});
