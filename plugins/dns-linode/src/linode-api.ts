import { collectOffsetPages, headerOf, type ProviderCallOptions, ProviderHttpClient } from '@certkeeper/dns';
import type { ResolvedOptions } from './options.js';

export const PROVIDER_NAME = 'linode';

/** A domain as `GET /domains` returns it. Only `master` domains hold records Linode serves. */
export interface ApiDomain {
  readonly id: number;
  readonly domain: string;
  readonly type: 'master' | 'slave';
}

/** A domain record (`/domains/{id}/records`). */
export interface ApiRecord {
  readonly id: number;
  readonly type: string;
  /** Relative to the domain; the empty string for the apex. */
  readonly name: string;
  readonly target: string;
  readonly ttl_sec: number;
}

interface Page {
  readonly data?: unknown[];
  readonly page?: number;
  readonly pages?: number;
  readonly results?: number;
}

/**
 * The v4 endpoints this provider uses, over the shared bounded client. Errors come as
 * `{ "errors": [{ "reason", "field"? }] }`; a 429 carries `Retry-After` and `X-RateLimit-Reset` (Unix seconds).
 */
export function createApi(options: ResolvedOptions): ProviderHttpClient {
  return new ProviderHttpClient({
    provider: PROVIDER_NAME,
    baseUrl: options.baseUrl,
    headers: { authorization: `Bearer ${options.apiToken}` },
    timeoutMs: options.timeoutMs,
    retry: { maxDelayMs: options.maxRetryWaitMs },
    redactor: options.redactor,
    describeError: (body) => {
      const errors = (body as { errors?: { reason?: unknown; field?: unknown }[] } | undefined)?.errors;
      const reasons = (Array.isArray(errors) ? errors : []).filter(
        (error) => typeof error?.reason === 'string',
      );
      if (reasons.length === 0) return undefined; // not Linode's envelope: the client quotes the body itself
      return reasons
        .map((error) => `${typeof error.field === 'string' ? `${error.field}: ` : ''}${String(error.reason)}`)
        .join('; ');
    },
    rateLimitResetOf: (headers) => {
      const reset = Number(headerOf(headers, 'x-ratelimit-reset'));
      return Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : undefined;
    },
  });
}

/**
 * Every item of a paged listing (`page`, `page_size`; the answer says how many `pages` and `results` there are), at
 * most 1 000 pages, starting over when the list shifts between pages (`collectOffsetPages`). `filter` goes in the
 * `X-Filter` header, Linode's filtering language (`{"domain": "example.com"}`).
 */
export function allPages<T>(
  api: ProviderHttpClient,
  path: string,
  pageSize: number,
  what: { operation: string; zone?: string; filter?: Record<string, unknown> },
  call?: ProviderCallOptions,
): Promise<T[]> {
  const { filter, ...about } = what;
  return collectOffsetPages<T>(
    async (page) => {
      const { status, body } = await api.request<Page>({
        method: 'GET',
        path,
        query: { page, page_size: pageSize },
        ...(filter ? { headers: { 'x-filter': JSON.stringify(filter) } } : {}),
        ...about,
        // A later page that no longer exists (400 on `page`): the list shrank under us.
        accept: (code, answer) => page > 1 && code === 400 && fieldOf(answer) === 'page',
        signal: call?.signal,
      });
      if (status === 400) return 'gone';
      return {
        items: Array.isArray(body?.data) ? (body.data as T[]) : [],
        pages: typeof body?.pages === 'number' ? body.pages : page,
        total: body?.results,
      };
    },
    { provider: PROVIDER_NAME, operation: about.operation },
  );
}

function fieldOf(body: unknown): string | undefined {
  const field = (body as { errors?: { field?: unknown }[] } | undefined)?.errors?.[0]?.field;
  return typeof field === 'string' ? field : undefined;
}
