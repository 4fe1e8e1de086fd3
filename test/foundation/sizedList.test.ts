import fc from 'fast-check';

import { SizedList } from '../../nodes/shared/transport/sizedList';

describe('SizedList', () => {
	it('gives back exactly what was added, in order, whatever the estimate and wherever it is given', () => {
		fc.assert(
			fc.property(
				fc.array(fc.integer(), { maxLength: 400 }),
				fc.nat(400),
				fc.oneof(fc.double({ min: 0, max: 1e7, noNaN: false }), fc.constant(Number.NaN), fc.constant(Infinity)),
				fc.oneof(fc.double({ min: 0, max: 1e4 }), fc.constant(0)),
				(values, sizeAt, bytes, bytesPerItem) => {
					const list = new SizedList<number>();
					values.forEach((value, index) => {
						if (index === sizeAt) list.sizeFor(bytes, bytesPerItem);
						list.add(value);
					});
					const result = list.toArray();
					expect(result).toEqual(values);
					expect(result.length).toBe(values.length);
					// No hole is left behind from an estimate that was too high.
					expect(Object.keys(result).length).toBe(values.length);
				},
			),
			{ numRuns: 500 },
		);
	});

	it('keeps the first estimate only', () => {
		const list = new SizedList<number>();
		list.add(1);
		list.sizeFor(1000, 100);
		list.sizeFor(1e9, 1);
		for (let i = 2; i <= 30; i++) list.add(i);
		expect(list.toArray()).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
	});

	it('never reserves more than one slot per 16 bytes, whatever the first items claimed', () => {
		const list = new SizedList<number>();
		list.add(1);
		list.sizeFor(16 * 1000, 0.001);
		// The store is reserved up front; before toArray cuts it, its length shows the reservation.
		const reserved = (list as unknown as { items: number[] }).items.length;
		expect(reserved).toBeLessThanOrEqual(Math.ceil(1000 * 1.05));
		expect(reserved).toBeGreaterThan(1);
		expect(list.toArray()).toEqual([1]);
	});
});
