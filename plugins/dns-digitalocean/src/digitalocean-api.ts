import { headerOf, type ProviderCallOptions, ProviderHttpClient } from '@certkeeper/dns';
import type { ResolvedOptions } from './options.js';

export const PROVIDER_NAME = 'digitalocean';

/** A domain record as the API returns it (`/v2/domains/{domain}/records`). */
export interface ApiRecord {
  readonly id: number;
  readonly type: string;
  /** Relative to the domain, `@` for the apex. */
  readonly name: string;
  readonly data: string;
  readonly ttl: number;
}

interface Page {
  readonly links?: { readonly pages?: { readonly next?: string } };
}

/**
 * The v2 endpoints this provider uses, over the shared bounded client. Errors come as `{ id, message }`; a 429
 * carries `ratelimit-reset` (Unix seconds) when the 5 000 requests/hour or 250/minute budget is spent.
 */
export function createApi(options: ResolvedOptions): ProviderHttpClient {
  return new ProviderHttpClient({
    provider: PROVIDER_NAME,
    baseUrl: options.baseUrl,
    ...(options.redactor ? { redactor: options.redactor } : {}),
    headers: { authorization: `Bearer ${options.apiToken}` },
    timeoutMs: options.timeoutMs,
    retry: { maxDelayMs: options.maxRetryWaitMs },
    describeError: (body) => {
      const error = body as { id?: unknown; message?: unknown } | undefined;
      return typeof error?.message === 'string'
        ? `${String(error.id ?? 'error')}: ${error.message}`
        : undefined;
    },
    rateLimitResetOf: (headers) => {
      const reset = Number(headerOf(headers, 'ratelimit-reset'));
      return Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : undefined;
    },
  });
}

/**
 * Every item of a paged listing: follows `links.pages.next` (the API's own link, kept on its origin) until there is
 * none. `field` is the array's key (`domains`, `domain_records`).
 */
export async function allPages<T>(
  api: ProviderHttpClient,
  first: { path: string; query: Record<string, string | number | undefined> },
  field: string,
  what: { operation: string; zone?: string },
  call?: ProviderCallOptions,
): Promise<T[]> {
  const items: T[] = [];
  let next: { path: string; query?: Record<string, string | number | undefined> } | undefined = first;
  // A server that links to itself forever must not keep us here: 1 000 pages is far beyond any real zone.
  for (let page = 0; next && page < 1000; page++) {
    const answer: { body: Page & Record<string, unknown> } = await api.request<
      Page & Record<string, unknown>
    >({
      method: 'GET',
      ...next,
      ...what,
      signal: call?.signal,
    });
    const list = answer.body?.[field];
    if (Array.isArray(list)) items.push(...(list as T[]));
    const link = answer.body?.links?.pages?.next;
    next = typeof link === 'string' && link !== '' ? { path: link } : undefined;
  }
  return items;
}
