/** Headroom over the estimate, so a log whose first batch was a little denser still fits. */
const ESTIMATE_HEADROOM = 1.05;

/** No element is counted as smaller than this, so an odd first batch cannot reserve a huge store. */
const MIN_ITEM_BYTES = 16;

/**
 * A list filled in order that can be sized once from an estimate of its final length.
 * Array#push grows the store by half again whenever it is full, so for a long call log the
 * stores it leaves behind add up to about twice the final array, all garbage at the peak
 * (test/bench, call log size). Sized from the Content-Length and the bytes per element of
 * the first batch, the store is written once and cut to the length at the end; a wrong
 * estimate only means push's growth again (too low) or unused slots until then (too high).
 */
export class SizedList<T> {
	private items: T[] = [];

	length = 0;

	private sized = false;

	add(item: T): void {
		this.items[this.length++] = item;
	}

	/** Sizes the store for about `bytes ÷ bytesPerItem` items in all; only the first call counts. */
	sizeFor(bytes: number, bytesPerItem: number): void {
		if (this.sized) return;
		this.sized = true;
		const expected = Math.ceil((bytes / Math.max(bytesPerItem, MIN_ITEM_BYTES)) * ESTIMATE_HEADROOM);
		if (!Number.isFinite(expected) || expected <= this.length) return;
		const store = new Array<T>(expected);
		for (let i = 0; i < this.length; i++) store[i] = this.items[i];
		this.items = store;
	}

	/** The items, in a list of exactly their number. */
	toArray(): T[] {
		this.items.length = this.length;
		return this.items;
	}
}
