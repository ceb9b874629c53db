import type { SecretRedactor } from '@certkeeper/core';
import type Cloudflare from 'cloudflare';

/** Options of {@link cloudflare}. */
export interface CloudflareOptions {
  /**
   * Where this provider registers its secrets at construction, so every sink scrubs them from what a DNS API
   * echoes back. Default: the process's (`processSecretRedactor()`).
   */
  readonly redactor?: SecretRedactor;
  /**
   * A Cloudflare API token (not the global API key) with Zone:Zone:Read and Zone:DNS:Edit on the zones in use.
   * Default: the `CLOUDFLARE_API_TOKEN` environment variable.
   */
  readonly apiToken?: string;
  /** API base URL; default `https://api.cloudflare.com/client/v4` (tests point it at a fake). */
  readonly baseUrl?: string;
  /** Zone apex → zone id, skipping the lookup (tokens without Zone:Read, or to pin one account's zone). */
  readonly zoneIds?: Readonly<Record<string, string>>;
  /** Only use zones of this account (when the token sees a zone name in several accounts). */
  readonly accountId?: string;
  /** SDK retries after the first attempt (429, 408, 409, 5xx, network). Default 2. */
  readonly maxRetries?: number;
  /** Longest Retry-After the SDK may sleep inline; longer waits fail at once with `retryAfter`. Default 10 000 ms. */
  readonly maxRetryWaitMs?: number;
  /** Per-request timeout. Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Lowest TTL the zone accepts: 60 s, or 30 s on Enterprise plans. Lower requested TTLs are raised to it. */
  readonly minTtl?: number;
  /** Records per listing page (5 to 5 000 000; Cloudflare's default is 100). Default 100. */
  readonly pageSize?: number;
  /** A ready-made SDK client; `apiToken`, `baseUrl`, retries and timeout are then ignored. */
  readonly client?: Cloudflare;
}
