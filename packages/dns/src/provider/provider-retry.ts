import { CertkeeperError, ErrorCodes, retryWithBackoff } from '@certkeeper/core';

export interface RetryOptions {
  /** Total attempts, the first included. Default 3. */
  readonly attempts?: number;
  /** Bound of the wait before the second attempt; doubles each time (jittered), capped by `maxDelayMs`. Default 250 ms. */
  readonly baseDelayMs?: number;
  /**
   * Longest single wait. A server asking (Retry-After) for a longer wait is not retried inline: the error is
   * rethrown at once with its `retryAfter`, for the caller's scheduler. Default 5000 ms.
   */
  readonly maxDelayMs?: number;
  /**
   * Retry only failures the server refused before changing anything: a rate limit with a retry time. For calls
   * that are not idempotent (a POST that creates a record): after a timeout or a 5xx the change may have been made,
   * and repeating it would make a second one.
   */
  readonly onlyIfRefused?: boolean;
  /** Ends a wait at once with `CERTKEEPER_ERR_ABORTED`. */
  readonly signal?: AbortSignal;
}

/**
 * Runs a provider call, retrying briefly when it throws a retryable `DNS_PROVIDER_FAILED` (HTTP 429/5xx,
 * network errors), as the port contract asks; then rethrows the last error. Retrying longer is the job of the
 * caller's scheduler, not of a provider blocking a worker. The loop is core's `retryWithBackoff`.
 */
export function withProviderRetry<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  return retryWithBackoff(() => call(), {
    attempts: options.attempts ?? 3,
    baseDelayMs: options.baseDelayMs ?? 250,
    maxDelayMs: options.maxDelayMs ?? 5000,
    ...(options.signal ? { signal: options.signal } : {}),
    shouldRetry: (error) =>
      CertkeeperError.isInstance(error) &&
      error.code === ErrorCodes.DNS_PROVIDER_FAILED &&
      error.retryable &&
      (!options.onlyIfRefused || error.retryAfter !== undefined),
  });
}
