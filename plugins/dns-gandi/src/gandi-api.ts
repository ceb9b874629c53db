import { type ProviderCallOptions, ProviderHttpClient } from '@certkeeper/dns';
import type { ResolvedOptions } from './options.js';

export const PROVIDER_NAME = 'gandi';

/** One record set as LiveDNS returns it: every value of a name and type together. */
export interface ApiRrset {
  /** Relative to the domain, `@` for the apex. */
  readonly rrset_name: string;
  readonly rrset_type: string;
  readonly rrset_ttl: number;
  /** TXT values in presentation format (LiveDNS returns them quoted). */
  readonly rrset_values: readonly string[];
}

/**
 * The LiveDNS endpoints this provider uses, over the shared bounded client. Errors come as `{ code, message,
 * object, cause, errors: [{ location, name, description }] }`.
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
      const error = body as
        | { message?: unknown; cause?: unknown; errors?: { name?: unknown; description?: unknown }[] }
        | undefined;
      if (typeof error?.message !== 'string') return undefined;
      const fields = (Array.isArray(error.errors) ? error.errors : [])
        .map((field) => `${String(field.name)}: ${String(field.description)}`)
        .join('; ');
      return `${typeof error.cause === 'string' ? `${error.cause}: ` : ''}${error.message}${fields ? ` (${fields})` : ''}`;
    },
  });
}

/** Every item of a `page` / `per_page` listing, until a page comes back short (at most 1 000 pages). */
export async function allPages<T>(
  api: ProviderHttpClient,
  path: string,
  query: Record<string, string | number | undefined>,
  perPage: number,
  what: { operation: string; zone?: string },
  call?: ProviderCallOptions,
): Promise<T[]> {
  const items: T[] = [];
  for (let page = 1; page <= 1000; page++) {
    const { body } = await api.request<T[]>({
      method: 'GET',
      path,
      query: { ...query, page, per_page: perPage },
      ...what,
      signal: call?.signal,
    });
    const list = Array.isArray(body) ? body : [];
    items.push(...list);
    if (list.length < perPage) break;
  }
  return items;
}
