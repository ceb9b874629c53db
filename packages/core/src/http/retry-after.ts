/**
 * The longest a CA's `Retry-After` is obeyed: 7 days, the longest window of the CA limits certkeeper knows (Let's
 * Encrypt's certificates per registered domain and per exact identifier set, both 7 days). A CA's Retry-After is
 * advice bounded by what we can live with: a single 429 with `Retry-After: 1000000000000` once deferred a whole
 * account to the year 33715 while its certificates expired. The one ceiling used by the transport when it parses the
 * header and by the policy when it schedules a retry; both take a configured value instead (`maxRetryAfterMs`).
 */
export const DEFAULT_MAX_RETRY_AFTER_MS = 7 * 24 * 3_600_000;

export interface RetryAfterBounds {
  /** The ceiling (default {@link DEFAULT_MAX_RETRY_AFTER_MS}). */
  readonly maxMs?: number;
  /** Called when the CA asked for longer than the ceiling: the raw header and the time used instead. */
  readonly onClamp?: (received: string, clampedTo: Date) => void;
}

/**
 * Parse an HTTP `Retry-After` value (RFC 9110 §10.2.3): either delay-seconds or an HTTP-date. Returns the absolute
 * time, at most `maxMs` after `now`, or undefined when the header is absent or unparseable.
 */
export function parseRetryAfter(
  value: string | undefined,
  now: Date,
  bounds: RetryAfterBounds = {},
): Date | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  let at: number | undefined;
  if (/^\d+$/.test(trimmed)) {
    // Number('1'.repeat(400)) is Infinity: compare before building a Date, which would be Invalid.
    at = now.getTime() + Math.min(Number(trimmed) * 1000, Number.MAX_SAFE_INTEGER);
  } else if (/^[A-Za-z]{3},? /.test(trimmed)) {
    // An HTTP-date always names a weekday or month; anything else Date.parse would guess at ("-5") is refused.
    const date = Date.parse(trimmed);
    if (!Number.isNaN(date)) at = date;
  }
  if (at === undefined) return undefined;
  const maxMs = bounds.maxMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
  if (at - now.getTime() > maxMs) {
    const clamped = new Date(now.getTime() + maxMs);
    bounds.onClamp?.(trimmed, clamped);
    return clamped;
  }
  return new Date(at);
}

/**
 * A retry time bounded by the ceiling: `at` itself, or `now + maxMs` when `at` is later. For retry times that did
 * not come through {@link parseRetryAfter} (an error from another transport, a stored record).
 */
export function clampRetryAfter(at: Date, now: Date, maxMs = DEFAULT_MAX_RETRY_AFTER_MS): Date {
  const limit = now.getTime() + maxMs;
  return Number.isNaN(at.getTime()) || at.getTime() > limit ? new Date(limit) : at;
}
