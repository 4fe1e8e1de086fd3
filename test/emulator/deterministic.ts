import { createHash } from 'node:crypto';

/** Ids and choices derived from a seed string, so every run serves the same fixtures. */
export function md5Hex(seed: string): string {
	return createHash('md5').update(seed).digest('hex');
}

export function seededInt(seed: string, modulo: number): number {
	return parseInt(md5Hex(seed).slice(0, 8), 16) % modulo;
}

export function pick<T>(items: readonly T[], seed: string): T {
	return items[seededInt(seed, items.length)];
}

/** A v4-shaped UUID built from a seed. */
export function seededUuid(seed: string): string {
	const h = md5Hex(seed);
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
