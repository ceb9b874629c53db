import { sleep as realSleep } from '../ports/sleep.js';

/**
 * The endpoint classes a CA limits request rates by. Let's Encrypt limits each per IP address, and answers a request
 * over the limit with 503 and a Retry-After: new-nonce, new-account, new-order, revoke-cert, renewal-info, the
 * directory, and every other `/acme/*` URL together (`acme`: accounts, authorizations, challenges, finalize,
 * order polls, certificate downloads, key changes).
 */
export type RequestEndpoint =
  | 'directory'
  | 'new-nonce'
  | 'new-account'
  | 'new-order'
  | 'revoke'
  | 'renewal-info'
  | 'acme';

/** A token bucket: `burst` requests at once, refilled at `perSecond`. */
export interface RequestRate {
  readonly perSecond: number;
  readonly burst: number;
}

export type RequestRates = Readonly<Record<RequestEndpoint, RequestRate>>;

/**
 * Let's Encrypt's "overall requests" limits (https://letsencrypt.org/docs/rate-limits/, per IP address, token
 * buckets): the tightest published by a public CA, and far above what one certkeeper process needs — so they are
 * the default for every CA. A client that keeps under them is never answered 503 for its request rate.
 */
export const LETS_ENCRYPT_REQUEST_RATES: RequestRates = {
  'new-nonce': { perSecond: 20, burst: 10 },
  'new-account': { perSecond: 5, burst: 15 },
  'new-order': { perSecond: 300, burst: 200 },
  revoke: { perSecond: 10, burst: 100 },
  'renewal-info': { perSecond: 1000, burst: 100 },
  acme: { perSecond: 250, burst: 125 },
  directory: { perSecond: 40, burst: 40 },
};

/** Monotonic time and waiting, injectable so a test drives the buckets with a fake clock. */
export interface LimiterTiming {
  /** Milliseconds on a monotonic scale (default `performance.now()`). */
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

interface Bucket {
  tokens: number;
  at: number;
}

/**
 * One token bucket per endpoint class. `acquire` takes a token, waiting when the bucket is empty; waiters are
 * served first come, first served, because each one reserves its token (the bucket goes below zero) before it
 * sleeps. Several certificates in flight share one limiter (one per CA in a process by default: the CA counts per
 * IP address, not per client), so together they stay under the CA's limits.
 */
export class RequestRateLimiter {
  private readonly buckets = new Map<RequestEndpoint, Bucket>();
  private readonly timing: LimiterTiming;

  constructor(
    private readonly rates: RequestRates = LETS_ENCRYPT_REQUEST_RATES,
    timing: Partial<LimiterTiming> = {},
  ) {
    for (const [endpoint, rate] of Object.entries(rates))
      if (!(rate.perSecond > 0) || !(rate.burst >= 1))
        throw new RangeError(`request rate of ${endpoint}: perSecond must be > 0 and burst >= 1`);
    this.timing = { now: timing.now ?? (() => performance.now()), sleep: timing.sleep ?? realSleep };
  }

  /** Take a token for one request to `endpoint`; resolves with the milliseconds waited (0 when one was there). */
  async acquire(endpoint: RequestEndpoint, signal?: AbortSignal): Promise<number> {
    const rate = this.rates[endpoint];
    const now = this.timing.now();
    let bucket = this.buckets.get(endpoint);
    if (!bucket) {
      bucket = { tokens: rate.burst, at: now };
      this.buckets.set(endpoint, bucket);
    }
    bucket.tokens = Math.min(rate.burst, bucket.tokens + ((now - bucket.at) / 1000) * rate.perSecond);
    bucket.at = now;
    bucket.tokens -= 1;
    if (bucket.tokens >= 0) return 0;
    const waitMs = Math.ceil((-bucket.tokens / rate.perSecond) * 1000);
    try {
      await this.timing.sleep(waitMs, signal);
    } catch (error) {
      // Not sent after all: the reserved token goes back for the next request.
      bucket.tokens += 1;
      throw error;
    }
    return waitMs;
  }
}

const perCa = new Map<string, RequestRateLimiter>();

/**
 * The limiter every client of this process shares for the CA at `directoryUrl` (by origin), with Let's Encrypt's
 * limits: the CA counts requests per IP address, so two clients of one process must not each spend a full budget.
 */
export function sharedRequestRateLimiter(directoryUrl: string): RequestRateLimiter {
  let origin = directoryUrl;
  try {
    origin = new URL(directoryUrl).origin;
  } catch {
    // Refused by the transport's own URL check; the raw text is a key as good as any meanwhile.
  }
  let limiter = perCa.get(origin);
  if (!limiter) {
    limiter = new RequestRateLimiter();
    perCa.set(origin, limiter);
  }
  return limiter;
}

/** Which limit a request counts against: by the directory's URLs, as the CA routes them. */
export function requestEndpointOf(
  request: { readonly method: string; readonly url: string; readonly resource: string },
  directory:
    | {
        readonly newNonce: string;
        readonly newAccount: string;
        readonly newOrder: string;
        readonly revokeCert?: string;
        readonly renewalInfo?: string;
      }
    | undefined,
): RequestEndpoint {
  if (request.resource === 'directory') return 'directory';
  if (request.resource === 'nonce' || request.url === directory?.newNonce) return 'new-nonce';
  if (request.resource === 'renewalInfo') return 'renewal-info';
  if (request.resource === 'revocation' || request.url === directory?.revokeCert) return 'revoke';
  if (request.url === directory?.newAccount) return 'new-account';
  if (request.url === directory?.newOrder) return 'new-order';
  return 'acme';
}
