import { CertkeeperError, ErrorCodes } from '@certkeeper/core';

export interface RetryOptions {
  /** Total attempts, the first included. Default 3. */
  readonly attempts?: number;
  /** Delay before the second attempt; doubles each time, capped by `maxDelayMs`. Default 250 ms. */
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
  readonly signal?: AbortSignal;
}

/**
 * Runs a provider call, retrying briefly when it throws a retryable `DNS_PROVIDER_FAILED` (HTTP 429/5xx,
 * network errors), as the port contract asks; then rethrows the last error. Retrying longer is the job of the
 * caller's scheduler, not of a provider blocking a worker.
 */
export async function withProviderRetry<T>(call: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = Math.max(1, options.attempts ?? 3);
  const maxDelayMs = options.maxDelayMs ?? 5000;
  let delay = options.baseDelayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const retryable =
        CertkeeperError.isInstance(error) && error.code === ErrorCodes.DNS_PROVIDER_FAILED && error.retryable;
      if (!retryable || attempt >= attempts || options.signal?.aborted) throw error;
      if (options.onlyIfRefused && !error.retryAfter) throw error;
      const hinted = error.retryAfter ? error.retryAfter.getTime() - Date.now() : 0;
      // Retrying before the server's time only spends its budget (deSEC counts throttled requests too).
      if (hinted > maxDelayMs) throw error;
      await sleep(Math.min(maxDelayMs, Math.max(delay, hinted)), options.signal);
      delay *= 2;
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
