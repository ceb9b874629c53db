import { headerOf, type ProviderCallOptions, ProviderHttpClient } from '@certkeeper/dns';
import type { ResolvedOptions } from './options.js';

export const PROVIDER_NAME = 'desec';

/** An RRset as the API returns it. */
export interface ApiRrset {
  readonly domain: string;
  /** Empty for the apex. */
  readonly subname: string;
  readonly type: string;
  /** Presentation format: TXT values quoted. */
  readonly records: readonly string[];
  readonly ttl: number;
}

export interface ApiDomain {
  readonly name: string;
  /** The smallest TTL the domain accepts (3600 unless deSEC support lowered it). */
  readonly minimum_ttl: number;
}

/**
 * The endpoints this provider uses, over the shared bounded client, with `Authorization: Token`. Errors are Django
 * REST framework bodies: `{ "detail": … }`, field errors `{ "ttl": ["…"] }`, or one such object per RRset of a bulk
 * request. A 429 carries `Retry-After` and "Request was throttled. Expected available in N seconds.".
 */
export function createApi(options: ResolvedOptions): ProviderHttpClient {
  return new ProviderHttpClient({
    provider: PROVIDER_NAME,
    baseUrl: options.baseUrl,
    ...(options.redactor ? { redactor: options.redactor } : {}),
    headers: { authorization: `Token ${options.apiToken}` },
    timeoutMs: options.timeoutMs,
    retry: { maxDelayMs: options.maxRetryWaitMs },
    describeError: describeDrfError,
  });
}

/** `detail`, or `field: message` pairs, from a Django REST framework error body (bulk: one per RRset). */
export function describeDrfError(body: unknown): string | undefined {
  const parts: string[] = [];
  const visit = (value: unknown, field?: string) => {
    if (typeof value === 'string') parts.push(field && field !== 'detail' ? `${field}: ${value}` : value);
    else if (Array.isArray(value)) for (const item of value) visit(item, field);
    else if (value && typeof value === 'object')
      for (const [key, item] of Object.entries(value))
        visit(item, key === 'non_field_errors' ? undefined : key);
  };
  visit(body);
  return parts.length > 0 ? parts.join('; ').slice(0, 500) : undefined;
}

/**
 * Every item of a listing. deSEC returns up to 500 items, and beyond that requires `cursor=` and gives the next
 * page in a `Link: <…>; rel="next"` header; asking with `cursor=` from the start works for both.
 */
export async function allPages<T>(
  api: ProviderHttpClient,
  path: string,
  query: Record<string, string | undefined>,
  what: { operation: string; zone?: string },
  call?: ProviderCallOptions,
): Promise<T[]> {
  const items: T[] = [];
  let next: { path: string; query?: Record<string, string | undefined> } | undefined = {
    path,
    query: { ...query, cursor: '' },
  };
  for (let page = 0; next && page < 1000; page++) {
    const answer: { body: unknown; headers: Parameters<typeof headerOf>[0] } = await api.request({
      method: 'GET',
      ...next,
      ...what,
      signal: call?.signal,
    });
    if (Array.isArray(answer.body)) items.push(...(answer.body as T[]));
    const link = /<([^>]+)>;\s*rel="next"/.exec(headerOf(answer.headers, 'link') ?? '')?.[1];
    next = link ? { path: link } : undefined;
  }
  return items;
}
