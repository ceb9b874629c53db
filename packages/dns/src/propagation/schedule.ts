/** When to look again while waiting for propagation. */
export interface PollSchedule {
  /**
   * First gap between checks. Default 250 ms: the first check runs right after publishing, and a zone whose
   * secondaries lag (NOTIFY then a transfer, typically 0.2–0.5 s) is seen ready at ~0.6 s instead of 1 s; the
   * gaps then grow, so a slow provider costs few extra checks (7 in the first 10 s instead of 4). DNS queries
   * only — no request to the CA.
   */
  readonly initialIntervalMs?: number;
  /** Each gap is the previous one times this. Default 1.5. */
  readonly growthFactor?: number;
  /** Longest gap. Default 30 000 ms. */
  readonly maxIntervalMs?: number;
}

export const DEFAULT_INITIAL_INTERVAL_MS = 250;

/**
 * The next check time after `now` for a wait that started at `startedAt`. Computed from the two times alone, so
 * any worker that picks the job up later arrives at the same schedule without stored attempt counters
 * (seed 000: "let any worker re-check propagation later").
 */
export function nextCheckAt(startedAt: Date, now: Date, schedule: PollSchedule = {}): Date {
  const initial = Math.max(1, schedule.initialIntervalMs ?? DEFAULT_INITIAL_INTERVAL_MS);
  const growth = Math.max(1, schedule.growthFactor ?? 1.5);
  const cap = Math.max(initial, schedule.maxIntervalMs ?? 30_000);
  let at = startedAt.getTime();
  let gap = initial;
  while (at <= now.getTime()) {
    at += gap;
    // Whole milliseconds: a fractional time rounds down in a Date, and the next call would return the same instant.
    gap = Math.min(cap, Math.ceil(gap * growth));
    // Once the gap is capped the rest is arithmetic: skip ahead instead of looping over a long wait.
    if (gap === cap && at <= now.getTime()) at += Math.ceil((now.getTime() - at) / cap) * cap;
  }
  return new Date(at);
}
