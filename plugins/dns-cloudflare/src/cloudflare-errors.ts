import type { CertkeeperError } from '@certkeeper/core';
import { providerFailed, providerUnauthorized, zoneNotFound } from '@certkeeper/dns';

export const PROVIDER_NAME = 'cloudflare';

/** The parts of the SDK's `APIError` this package reads (checked structurally: the SDK may be duplicated). */
interface ApiErrorLike {
  readonly status?: number;
  readonly headers?: Headers;
  readonly errors?: readonly { readonly code?: number; readonly message?: string }[];
  readonly name?: string;
  readonly message?: string;
}

// 10000 "Authentication error" (bad token, or a token without the permission); 9109 invalid access token;
// 6003/6111 malformed Authorization header.
const AUTH_CODES = new Set([10000, 9109, 6003, 6111]);
/** Cloudflare blocks a client for five minutes after 1200 requests in five minutes (API rate limits page). */
const DEFAULT_RATE_LIMIT_WAIT_MS = 5 * 60_000;

function codesOf(error: ApiErrorLike): string {
  const list = (error.errors ?? []).map((entry) => `${entry.code ?? '?'} ${entry.message ?? ''}`.trim());
  return list.length > 0 ? list.join('; ') : (error.message?.split('\n')[0] ?? 'no details');
}

/** Whether the error carries one of these v4 error codes. */
export function hasCode(error: unknown, ...codes: number[]): boolean {
  const entries = (error as ApiErrorLike | undefined)?.errors ?? [];
  return entries.some((entry) => entry.code !== undefined && codes.includes(entry.code));
}

export function statusOf(error: unknown): number | undefined {
  return (error as ApiErrorLike | undefined)?.status;
}

/** Retry-After (seconds or HTTP date) or retry-after-ms, as a time. */
export function retryAfterOf(headers: Headers | undefined, now = Date.now()): Date | undefined {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms)) return new Date(now + ms);
  const header = headers?.get('retry-after');
  if (!header) return undefined;
  const seconds = Number.parseFloat(header);
  if (Number.isFinite(seconds)) return new Date(now + seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : new Date(date);
}

/**
 * Turns an SDK failure (after its retries) into the port's typed errors. The token never appears: Cloudflare
 * does not echo it and only the v4 error codes and messages are quoted.
 */
export function toProviderError(error: unknown, operation: string, zone?: string): CertkeeperError {
  const api = (
    typeof error === 'object' && error !== null ? error : { message: String(error) }
  ) as ApiErrorLike;
  const status = api.status;
  const detail = `${status ? `HTTP ${status}, ` : ''}${codesOf(api)}`;
  if (status === 401 || status === 403 || hasCode(api, ...AUTH_CODES)) {
    return providerUnauthorized(PROVIDER_NAME, zone, detail);
  }
  if (zone && hasCode(api, 7003)) return zoneNotFound(PROVIDER_NAME, zone);
  if (status === 429) {
    return providerFailed(PROVIDER_NAME, operation, `${detail} (rate limited after the SDK's retries)`, {
      cause: error,
      retryable: true,
      retryAfter: retryAfterOf(api.headers) ?? new Date(Date.now() + DEFAULT_RATE_LIMIT_WAIT_MS),
    });
  }
  const transient = status === undefined || status >= 500 || status === 408 || status === 409;
  const aborted = api.name === 'APIUserAbortError';
  return providerFailed(PROVIDER_NAME, operation, detail, { cause: error, retryable: transient && !aborted });
}
