/** When to look again while waiting for propagation. */
export interface PollSchedule {
  /** First gap between checks. Default 1000 ms (secondaries with NOTIFY usually catch up well within it). */
  readonly initialIntervalMs?: number;
  /** Each gap is the previous one times this. Default 1.5. */
  readonly growthFactor?: number;
  /** Longest gap. Default 30 000 ms. */
  readonly maxIntervalMs?: number;
}

/**
 * The next check time after `now` for a wait that started at `startedAt`. Computed from the two times alone, so
 * any worker that picks the job up later arrives at the same schedule without stored attempt counters
 * (seed 000: "let any worker re-check propagation later").
 */
export function nextCheckAt(startedAt: Date, now: Date, schedule: PollSchedule = {}): Date {
  const initial = Math.max(1, schedule.initialIntervalMs ?? 1000);
  const growth = Math.max(1, schedule.growthFactor ?? 1.5);
  const cap = Math.max(initial, schedule.maxIntervalMs ?? 30_000);
  let at = startedAt.getTime();
  let gap = initial;
  while (at <= now.getTime()) {
    at += gap;
    gap = Math.min(cap, gap * growth);
    // Once the gap is capped the rest is arithmetic: skip ahead instead of looping over a long wait.
    if (gap === cap && at <= now.getTime()) at += Math.ceil((now.getTime() - at) / cap) * cap;
  }
  return new Date(at);
}
