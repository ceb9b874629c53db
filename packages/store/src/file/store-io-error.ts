import { CertkeeperError, ErrorCodes } from '@certkeeper/core';

/** The system error code of a failed fs call (`ENOENT`, `EEXIST`, ...), if it has one. */
export function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/** A failed file operation, naming what was being done and where. Paths and keys only: never record contents. */
export function storeIoError(operation: string, path: string, cause: unknown): CertkeeperError {
  const reason = errnoCode(cause) ?? (cause instanceof Error ? cause.message : String(cause));
  const hint =
    reason === 'ENOSPC'
      ? 'free disk space; the write was not acknowledged, so retrying it is safe.'
      : reason === 'EACCES' || reason === 'EPERM'
        ? 'run certkeeper as the user that owns the store directory, or fix its permissions.'
        : 'check the disk and the store directory; the operation was not acknowledged and can be retried.';
  return new CertkeeperError(ErrorCodes.STORE_IO, `FileStore: ${operation} failed at ${path} (${reason}).`, {
    hint,
    retryable: reason !== 'EACCES' && reason !== 'EPERM',
    cause,
  });
}

export function storeCorruptError(path: string, why: string, cause?: unknown): CertkeeperError {
  return new CertkeeperError(
    ErrorCodes.STORE_CORRUPT,
    `FileStore: the record at ${path} cannot be read: ${why}.`,
    {
      hint: 'certkeeper writes records atomically, so the file was changed outside it: restore it from a backup or delete it.',
      cause,
    },
  );
}
