/** How the waits between attempts grow and spread. */
export interface BackoffShape {
  /** Bound of the first wait, in ms (default 100). */
  readonly baseDelayMs?: number;
  /** Growth of the bound per retry (default 2). */
  readonly factor?: number;
  /** Largest bound of any wait, in ms (default 5000). */
  readonly maxDelayMs?: number;
  /**
   * Random share of each wait: 0 waits exactly the bound, 1 anywhere from 0 to the bound ("full jitter"), 0.5
   * between half the bound and the bound (the default). Jitter keeps clients that failed together from retrying
   * together (seed 004's 97 retries landing in one ten-minute window).
   */
  readonly jitter?: number;
  /** Source of randomness in [0, 1), injectable for tests. */
  readonly random?: () => number;
}

/** The wait before retry `n` (1 for the first retry): bound = min(max, base × factor^(n−1)), less its random share. */
export function backoffDelayMs(retry: number, shape: BackoffShape = {}): number {
  const bound = Math.min(
    shape.maxDelayMs ?? 5000,
    (shape.baseDelayMs ?? 100) * (shape.factor ?? 2) ** Math.max(0, retry - 1),
  );
  const jitter = Math.min(1, Math.max(0, shape.jitter ?? 0.5));
  return bound * (1 - jitter * (1 - (shape.random ?? Math.random)()));
}
