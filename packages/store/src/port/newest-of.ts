import type { LedgerQuery } from './records.js';

/** The last `newest` of `events` (oldest first), or all of them without a number: {@link LedgerQuery.newest}. */
export function newestOf<T>(events: readonly T[], newest: LedgerQuery['newest']): T[] {
  return newest === undefined ? [...events] : events.slice(Math.max(0, events.length - newest));
}
