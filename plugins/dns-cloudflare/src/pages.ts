/** One page as the SDK returns it: the items and the envelope's `result_info`. */
interface PageLike<T> {
  readonly result: readonly T[];
  readonly result_info?: {
    readonly page?: number;
    readonly total_pages?: number;
    readonly per_page?: number;
  };
}

/**
 * Fetches every page of a v4 listing. Stops at `result_info.total_pages`; the SDK's own iterator instead asks for
 * one page past the end (it stops on an empty page), one wasted request per listing.
 */
export async function allPages<T>(
  fetchPage: (page: number) => PromiseLike<PageLike<T>>,
  signal?: AbortSignal,
): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; ; page++) {
    signal?.throwIfAborted();
    const answer = await fetchPage(page);
    items.push(...answer.result);
    const info = answer.result_info ?? {};
    const total = info.total_pages;
    const last =
      total !== undefined
        ? page >= total
        : answer.result.length === 0 || answer.result.length < (info.per_page ?? Infinity);
    if (last) return items;
  }
}
