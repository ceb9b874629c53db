import { CertkeeperError, ErrorCodes } from '@certkeeper/core';

/**
 * A compare-and-set write of an order lost: another writer changed (or removed) it since it was read. Nothing
 * was written. Not retryable as is — the same write would lose again: re-read the order, then decide.
 */
export class StoreConflictError extends CertkeeperError {
  constructor(
    /** Which backend refused, for the message ("FileStore", "PostgreSQL store"). */
    backend: string,
    readonly key: string,
    readonly expectedRevision: number,
    /** The revision stored now; 0 when no order is stored under the key. */
    readonly foundRevision: number,
  ) {
    const found = foundRevision === 0 ? 'none stored' : `revision ${foundRevision}`;
    const expected = expectedRevision === 0 ? 'none stored' : `revision ${expectedRevision}`;
    super(
      ErrorCodes.STORE_CONFLICT,
      `${backend}: the order "${key}" was changed by another writer: expected ${expected}, found ${found}.`,
      {
        hint: 'read the order again (getOrder) and decide from what is stored; another worker is probably running it.',
        retryable: false,
      },
    );
  }
}

/**
 * Checks a caller's expected revision: a revision is a whole number, 0 meaning "none stored". A malformed one
 * is a programming error, refused before anything is read or written.
 */
export function checkExpectedRevision(backend: string, key: string, expectedRevision: number): void {
  if (Number.isSafeInteger(expectedRevision) && expectedRevision >= 0) return;
  throw new CertkeeperError(
    ErrorCodes.INVALID_OPTION,
    `${backend}: the expected revision ${String(expectedRevision)} for the order "${key}" is not a whole number ≥ 0.`,
    { hint: 'pass the revision of the order as read (getOrder), or 0 when none is stored.' },
  );
}
