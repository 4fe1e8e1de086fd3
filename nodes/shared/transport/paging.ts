/**
 * Page-number paging for APIs that report no total: a page shorter than asked for is the
 * last one. `limit` stops early without fetching pages that would be thrown away.
 */
export async function collectPages<T>(
	fetchPage: (pageNumber: number, pageSize: number) => Promise<T[]>,
	options: { pageSize: number; limit?: number; maxPages?: number },
): Promise<T[]> {
	const results: T[] = [];
	const maxPages = options.maxPages ?? Number.POSITIVE_INFINITY;
	// One size for every page: page N of size S starts at (N-1)*S, so sizes must not vary.
	const size = Math.max(1, Math.min(options.pageSize, options.limit ?? options.pageSize));
	for (let page = 1; page <= maxPages; page++) {
		const items = await fetchPage(page, size);
		results.push(...items);
		if (items.length < size) break;
		if (options.limit !== undefined && results.length >= options.limit) break;
	}
	return options.limit === undefined ? results : results.slice(0, options.limit);
}
