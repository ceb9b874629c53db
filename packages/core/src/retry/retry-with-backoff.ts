import { CertkeeperError } from '../errors/certkeeper-error.js';
import { sleep } from '../ports/sleep.js';
import { type BackoffShape, backoffDelayMs } from './backoff-delay.js';

export interface RetryWithBackoffOptions extends BackoffShape {
  /** Attempts in all, the first included (default 3; `Infinity` to be bounded by `totalMs` alone). */
  readonly attempts?: number;
  /** Give up instead of waiting past this many ms after the first attempt started (default: no limit). */
  readonly totalMs?: number;
  /** Ends a wait at once with `AbortedError`. */
  readonly signal?: AbortSignal;
  /** Whether a failure is worth another attempt (default: a `CertkeeperError` marked `retryable`). */
  readonly shouldRetry?: (error: unknown, attempt: number) => boolean;
  /** When the server said to come back (default: a `CertkeeperError`'s `retryAfter`). */
  readonly retryAfterOf?: (error: unknown) => Date | undefined;
  /** Clock in ms, injectable for tests (default `Date.now`). */
  readonly now?: () => number;
}

/**
 * Runs `call` until it succeeds or a failure must be handed back: not retryable, out of attempts, or a wait that
 * would end past `totalMs`. Waits grow by {@link backoffDelayMs}; a server's Retry-After is honoured (never
 * retried earlier), and one longer than `maxDelayMs` is not waited out here: the error goes back at once, with its
 * `retryAfter`, for the caller's scheduler — a worker does not block for minutes, and retrying early only spends
 * the server's budget. The last error is rethrown unchanged.
 *
 * @throws the last failure, or `AbortedError` when `signal` fires during a wait.
 */
export async function retryWithBackoff<T>(
  call: (attempt: number) => Promise<T>,
  options: RetryWithBackoffOptions = {},
): Promise<T> {
  const now = options.now ?? Date.now;
  const started = now();
  const attempts = Math.max(1, options.attempts ?? 3);
  const shouldRetry = options.shouldRetry ?? isRetryable;
  const retryAfterOf = options.retryAfterOf ?? serverRetryAfter;
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(attempt);
    } catch (error) {
      if (attempt >= attempts || !shouldRetry(error, attempt)) throw error;
      const askedMs = (retryAfterOf(error)?.getTime() ?? 0) - now();
      if (askedMs > (options.maxDelayMs ?? 5000)) throw error;
      const waitMs = Math.max(backoffDelayMs(attempt, options), askedMs);
      if (options.totalMs !== undefined && now() + waitMs - started > options.totalMs) throw error;
      await sleep(waitMs, options.signal);
    }
  }
}

function isRetryable(error: unknown): boolean {
  return CertkeeperError.isInstance(error) && error.retryable;
}

function serverRetryAfter(error: unknown): Date | undefined {
  return CertkeeperError.isInstance(error) ? error.retryAfter : undefined;
}
