import {
  type ProviderCallOptions,
  providerFailed,
  providerUnauthorized,
  withProviderRetry,
  zoneNotFound,
} from '@certkeeper/dns';
import type { ResolvedOptions } from './options.js';

export const PROVIDER_NAME = 'powerdns';

/** One RRset as the API returns and accepts it (`/zones/{id}`, PATCH `rrsets`). */
export interface ApiRrset {
  readonly name: string;
  readonly type: string;
  readonly ttl?: number;
  readonly changetype?: 'REPLACE' | 'DELETE';
  readonly records?: readonly { readonly content: string; readonly disabled: boolean }[];
}

export interface ApiZone {
  readonly id: string;
  readonly name: string;
  readonly rrsets?: readonly ApiRrset[];
}

/**
 * A small client for the endpoints this provider uses. Maps answers to the port's typed errors: 401/403 →
 * `DNS_PROVIDER_UNAUTHORIZED`, 404 on a zone → `DNS_ZONE_NOT_FOUND`, 429/5xx/network → retryable
 * `DNS_PROVIDER_FAILED` (retried briefly here), other 4xx → not retryable, with PowerDNS's `error` text.
 */
export class PowerDnsApi {
  constructor(private readonly options: ResolvedOptions) {}

  get origin(): string {
    return this.options.base.origin;
  }

  async request<T>(
    method: 'GET' | 'PATCH',
    path: string,
    what: { operation: string; zone?: string },
    body?: unknown,
    call?: ProviderCallOptions,
  ): Promise<T> {
    const url = new URL(path, this.options.base);
    return withProviderRetry(
      async () => {
        const signals = [AbortSignal.timeout(this.options.timeoutMs), ...(call?.signal ? [call.signal] : [])];
        let response: Response;
        try {
          response = await fetch(url, {
            method,
            headers: {
              'X-API-Key': this.options.apiKey,
              Accept: 'application/json',
              'Content-Type': 'application/json',
            },
            ...(body === undefined ? {} : { body: JSON.stringify(body) }),
            signal: AbortSignal.any(signals),
          });
        } catch (error) {
          throw providerFailed(
            PROVIDER_NAME,
            what.operation,
            `${describe(error)} (is the PowerDNS API reachable at ${this.origin}?)`,
            {
              cause: error,
              retryable: !call?.signal?.aborted,
            },
          );
        }
        const text = await response.text();
        if (response.ok) return (text === '' ? undefined : JSON.parse(text)) as T;
        throw this.failure(response, text, what);
      },
      { ...this.options.retry, ...(call?.signal ? { signal: call.signal } : {}) },
    );
  }

  private failure(response: Response, text: string, what: { operation: string; zone?: string }): Error {
    const status = response.status;
    // Scrubbed before apiError shortens it: a key cut in half would no longer match.
    const detail = apiError(this.options.redactor.redact(text));
    if (status === 401 || status === 403) {
      return providerUnauthorized(
        PROVIDER_NAME,
        what.zone,
        `HTTP ${status} from ${this.origin}: check api-key in pdns.conf and the configured apiKey`,
      );
    }
    if (status === 404 && what.zone !== undefined) return zoneNotFound(PROVIDER_NAME, what.zone);
    const retryAfter = retryAfterDate(response.headers.get('retry-after'));
    return providerFailed(PROVIDER_NAME, what.operation, `HTTP ${status}${detail ? `: ${detail}` : ''}`, {
      retryable: status === 429 || status >= 500,
      ...(retryAfter ? { retryAfter } : {}),
    });
  }
}

function apiError(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: unknown };
    return typeof parsed.error === 'string' ? parsed.error : '';
  } catch {
    return text.trim().slice(0, 200);
  }
}

function retryAfterDate(header: string | null): Date | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return new Date(Date.now() + seconds * 1000);
  const date = new Date(header);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message}: ${error.cause.message}` : error.message;
}
