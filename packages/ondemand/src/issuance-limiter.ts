import { readBucket } from '@certkeeper/policy';
import { rateLimitedError } from './errors.js';

/** At most `issuances` on-demand orders per `perMs`, as a token bucket (refilled one every `perMs / issuances`). */
export interface IssuanceRate {
  readonly issuances: number;
  readonly perMs: number;
}

export interface OnDemandRateLimits {
  /** All names together (default 10 per minute). */
  readonly global?: IssuanceRate;
  /** Each name (default 2 per hour): a name whose certificate keeps vanishing is not ordered again and again. */
  readonly perName?: IssuanceRate;
}

export const DEFAULT_ON_DEMAND_RATE_LIMITS: Required<OnDemandRateLimits> = {
  global: { issuances: 10, perMs: 60_000 },
  perName: { issuances: 2, perMs: 3_600_000 },
};

/**
 * This process's budget for on-demand orders, checked before the manager is asked (whose ledger then applies the
 * CA's own limits). A handshake flood for many allowed names orders no faster than this; background renewals of
 * names already served are not counted (the freshness gate and the ledger pace those).
 */
export class IssuanceLimiter {
  private readonly global: number[] = [];
  private readonly perName = new Map<string, number[]>();
  private readonly limits: Required<OnDemandRateLimits>;

  constructor(limits: OnDemandRateLimits = {}) {
    this.limits = { ...DEFAULT_ON_DEMAND_RATE_LIMITS, ...limits };
  }

  /** Spend one token of both buckets for `name`, or throw CERTKEEPER_ERR_ON_DEMAND_RATE_LIMITED (spending none). */
  take(name: string, now: number): void {
    this.forget(now);
    const own = this.perName.get(name) ?? [];
    for (const [limit, events] of [
      ['perName', own],
      ['global', this.global],
    ] as const) {
      const { issuances, perMs } = this.limits[limit];
      const bucket = readBucket(events, issuances, perMs, now);
      if (bucket.remaining < 1) throw rateLimitedError(name, limit, bucket.nextTokenAt);
    }
    own.push(now);
    this.global.push(now);
    this.perName.set(name, own);
  }

  /** A bucket whose last event is a whole window old is full again: its events no longer matter. */
  private forget(now: number): void {
    const last = this.global.at(-1);
    if (last !== undefined && now - last >= this.limits.global.perMs) this.global.length = 0;
    for (const [name, events] of this.perName)
      if (now - (events.at(-1) ?? 0) >= this.limits.perName.perMs) this.perName.delete(name);
  }
}
