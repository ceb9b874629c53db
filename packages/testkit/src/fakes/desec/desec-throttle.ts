import { drfError } from './desec-store.js';

/** One rate: `count` requests per `periodMs`, as deSEC's table of limits lists them (e.g. 15 per minute). */
export interface DesecRate {
  readonly count: number;
  readonly periodMs: number;
}

/**
 * Sliding-window throttling as deSEC applies it (Django REST framework scoped throttles): a request is refused
 * while any rate's window is full, with 429, a `Retry-After` and "Request was throttled. Expected available in N
 * seconds."; refused requests are not counted.
 */
export class DesecThrottle {
  private readonly history = new Map<string, number[]>();

  constructor(private readonly rates: readonly DesecRate[]) {}

  /** @throws FakeApiError 429 when `key` (a domain, an account) is over one of the rates. */
  take(key: string, now = Date.now()): void {
    if (this.rates.length === 0) return;
    const longest = Math.max(...this.rates.map((rate) => rate.periodMs));
    const times = (this.history.get(key) ?? []).filter((time) => now - time < longest);
    let waitMs = 0;
    for (const rate of this.rates) {
      const recent = times.filter((time) => now - time < rate.periodMs);
      if (recent.length >= rate.count)
        waitMs = Math.max(waitMs, recent[recent.length - rate.count]! + rate.periodMs - now);
    }
    if (waitMs > 0) {
      const seconds = Math.max(1, Math.ceil(waitMs / 1000));
      throw drfError(
        429,
        {
          detail: `Request was throttled. Expected available in ${seconds} second${seconds === 1 ? '' : 's'}.`,
        },
        { 'retry-after': String(seconds) },
      );
    }
    times.push(now);
    this.history.set(key, times);
  }
}
