import { providerFailed } from './provider-errors.js';

/** One page of a listing paged by number, as the host reports it. */
export interface OffsetPage<T> {
  readonly items: readonly T[];
  /** How many pages there are (the answer's `pages` / `total_pages`). */
  readonly pages: number;
  /** How many items the whole listing holds, when the host says (`results` / `total_entries`). */
  readonly total?: number | undefined;
}

/**
 * Every item of a listing paged by page number (Linode, DNSimple), at most `maxPages` pages.
 *
 * Page numbers are offsets into a list other writers change meanwhile: a deletion moves an item from page 2 to
 * page 1 unseen, or makes page 2 vanish. When the total changes between pages, or `fetchPage` answers `'gone'` (the
 * host refused a page past the new end), the listing starts over, up to `maxRestarts` times, so a delete never
 * misses a value another process shifted; then it fails retryable.
 */
export async function collectOffsetPages<T>(
  fetchPage: (page: number) => Promise<OffsetPage<T> | 'gone'>,
  what: { provider: string; operation: string; maxPages?: number; maxRestarts?: number },
): Promise<T[]> {
  const maxRestarts = what.maxRestarts ?? 4;
  for (let attempt = 0; attempt <= maxRestarts; attempt++) {
    const items: T[] = [];
    let total: number | undefined;
    let shifted = false;
    for (let page = 1, pages = 1; page <= pages && page <= (what.maxPages ?? 1000); page++) {
      const answer = await fetchPage(page);
      if (answer === 'gone' || (page > 1 && answer.total !== total)) {
        shifted = true;
        break;
      }
      total = answer.total;
      items.push(...answer.items);
      pages = answer.pages;
    }
    if (!shifted) return items;
  }
  throw providerFailed(what.provider, what.operation, 'the listing kept changing while it was read', {
    retryable: true,
  });
}
