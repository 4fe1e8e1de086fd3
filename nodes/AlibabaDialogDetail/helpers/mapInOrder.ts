/**
 * Maps with at most `limit` calls in flight and keeps input order. After a failure no new
 * call starts and the ones in flight are awaited, so no download outlives a failed item;
 * then the failure with the lowest index is thrown.
 */
export async function mapInOrder<T, R>(
	values: T[],
	limit: number,
	fn: (value: T, index: number) => Promise<R>,
): Promise<R[]> {
	const results: R[] = new Array(values.length);
	let next = 0;
	type Failure = { index: number; error: unknown };
	// Declared through a cast: TypeScript cannot see the workers assign it, and would narrow it to undefined.
	let failure = undefined as Failure | undefined;
	const worker = async () => {
		while (failure === undefined && next < values.length) {
			const index = next++;
			try {
				results[index] = await fn(values[index], index);
			} catch (error) {
				if (failure === undefined || index < (failure as Failure).index) failure = { index, error };
			}
		}
	};
	const workers = Math.max(1, Math.min(Math.floor(limit) || 1, values.length));
	await Promise.all(Array.from({ length: workers }, worker));
	if (failure !== undefined) throw (failure as Failure).error;
	return results;
}
