import { backoffDelayMs } from '@certkeeper/core';

/** How failures that are not rate limits are spaced out. */
export interface BackoffOptions {
  /** First delay's upper bound (default 1 min). */
  readonly baseMs?: number;
  /** Growth per consecutive failure (default 10: 1 min, 10 min, 100 min — Let's Encrypt's guidance). */
  readonly factor?: number;
  /** Upper bound of any delay (default 1 day). */
  readonly capMs?: number;
  /** Source of randomness in [0, 1), injectable for tests. */
  readonly random?: () => number;
}

/**
 * The next attempt after `failures` consecutive failures: exponential growth with **full jitter** (a uniformly random
 * delay up to the exponential bound), so a fleet that failed together does not retry together. At least 1 s.
 */
export function nextRetryAfterFailure(failures: number, now: Date, options: BackoffOptions = {}): Date {
  const delay = backoffDelayMs(failures, {
    baseDelayMs: options.baseMs ?? 60_000,
    factor: options.factor ?? 10,
    maxDelayMs: options.capMs ?? 86_400_000,
    jitter: 1,
    ...(options.random ? { random: options.random } : {}),
  });
  return new Date(now.getTime() + Math.max(1000, delay));
}
