import { CertkeeperError, type ErrorCode, ErrorCodes, retryWithBackoff } from '@certkeeper/core';

// SQLSTATE classes and node socket errors that mean "the server went away or is not accepting yet": a restart,
// a failover, a dropped connection. Anything else (a constraint, a syntax error) is not retried.
const transientSqlStates = new Set(['57P01', '57P02', '57P03', '53300', '40001', '40P01']);
const transientSocketCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Whether retrying the same statement on a fresh connection can succeed. */
export function isTransient(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = 'code' in error ? String(error.code) : '';
  if (transientSqlStates.has(code) || code.startsWith('08') || transientSocketCodes.has(code)) return true;
  const message = error instanceof Error ? error.message : '';
  // pg reports a socket closed under a query without a code.
  return /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message);
}

/** A failed database call as a typed error, naming the operation and the subject; never the values written. */
export function databaseError(
  operation: string,
  cause: unknown,
  code: ErrorCode = ErrorCodes.STORE_UNAVAILABLE,
): CertkeeperError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const sqlState =
    typeof cause === 'object' && cause !== null && 'code' in cause ? ` [${String(cause.code)}]` : '';
  const transient = isTransient(cause);
  return new CertkeeperError(code, `PostgreSQL store: ${operation} failed: ${reason}${sqlState}.`, {
    hint: transient
      ? 'the server was unreachable or aborted the statement (restart, deadlock); check that PostgreSQL runs, then retry: the call was not acknowledged.'
      : 'read the database message above; this is not a connection problem, so retrying alone will not help.',
    retryable: transient,
    cause,
  });
}

export interface RetryPolicy {
  /** Keep retrying transient failures of idempotent calls for this long. Default 15 s (a PostgreSQL restart). */
  readonly timeoutMs?: number;
}

/**
 * Run an idempotent database call, retrying transient failures with growing, jittered pauses (50 ms up to 1 s)
 * until the time limit: a pg Pool drops a dead connection and opens a new one on the next call, so a restart
 * costs a few seconds. Other failures, and certkeeper's own errors, are rethrown at once, unchanged.
 */
export function retryTransient<T>(call: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  return retryWithBackoff(() => call(), {
    attempts: Number.POSITIVE_INFINITY,
    totalMs: timeoutMs,
    baseDelayMs: 50,
    maxDelayMs: 1_000,
    shouldRetry: (error) => !CertkeeperError.isInstance(error) && isTransient(error),
  });
}

/** {@link retryTransient}, with a failure turned into a typed error naming the operation. */
export async function withRetry<T>(
  operation: string,
  policy: RetryPolicy,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await retryTransient(call, policy.timeoutMs);
  } catch (error) {
    if (CertkeeperError.isInstance(error)) throw error;
    throw databaseError(operation, error);
  }
}
