/** The state of one rule's bucket at a moment, replayed from the events it counted. */
export interface BucketState {
  /** Whole tokens left: requests that may be made now. */
  readonly remaining: number;
  /** When the next token is available (now if `remaining` > 0). */
  readonly nextTokenAt: Date;
}

/**
 * Replay counted events (times in ms, ascending) through a token bucket of `limit` tokens refilled one every
 * `windowMs / limit` ms, and read it at `now`. This is how Let's Encrypt enforces its limits (a GCRA), so the
 * earliest allowed time it gives matches the CA's "retry after".
 */
export function readBucket(
  eventTimes: readonly number[],
  limit: number,
  windowMs: number,
  now: number,
): BucketState {
  const interval = windowMs / limit;
  let tokens = limit;
  let last: number | undefined;
  for (const at of eventTimes) {
    if (last !== undefined) tokens = Math.min(limit, tokens + (at - last) / interval);
    tokens -= 1;
    last = at;
  }
  if (last !== undefined) tokens = Math.min(limit, tokens + (now - last) / interval);
  const remaining = Math.max(0, Math.floor(tokens + 1e-9));
  const nextTokenAt = remaining > 0 ? new Date(now) : new Date(now + Math.ceil((1 - tokens) * interval));
  return { remaining, nextTokenAt };
}
