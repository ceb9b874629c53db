import { headerOf, type ProviderCallOptions, ProviderHttpClient, providerFailed } from '@certkeeper/dns';
import type { ResolvedOptions } from './options.js';

export const PROVIDER_NAME = 'hetzner';

/** An RRset as the API returns it (`/zones/{zone}/rrsets`). */
export interface ApiRrset {
  /** `<name>/<type>`. */
  readonly id: string;
  /** Relative to the zone, `@` for the apex. */
  readonly name: string;
  readonly type: string;
  readonly ttl: number | null;
  readonly records: readonly { readonly value: string; readonly comment?: string }[];
}

export interface ApiAction {
  readonly id: number;
  readonly status: 'running' | 'success' | 'error';
  readonly error?: { readonly code: string; readonly message: string } | null;
}

interface Paged {
  readonly meta?: { readonly pagination?: { readonly next_page?: number | null } };
}

/** The Cloud API's error envelope: `{ "error": { "code", "message", "details" } }`. */
export function errorCodeOf(body: unknown): string | undefined {
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * The Cloud API endpoints this provider uses, over the shared bounded client. A 429 `rate_limit_exceeded` carries
 * `RateLimit-Reset` (Unix seconds; the budget is 3 600 requests per hour per project); 409 `locked` and `conflict`
 * (another action runs on the zone) are transient.
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
      const error = (body as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      return typeof error?.message === 'string' ? `${String(error.code)}: ${error.message}` : undefined;
    },
    rateLimitResetOf: (headers) => {
      const reset = Number(headerOf(headers, 'ratelimit-reset'));
      return Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : undefined;
    },
    transient: (body) => ['locked', 'conflict', 'timeout', 'maintenance'].includes(errorCodeOf(body) ?? ''),
  });
}

/** Every item of a paged listing, following `meta.pagination.next_page` (at most 1 000 pages). */
export async function allPages<T>(
  api: ProviderHttpClient,
  path: string,
  query: Record<string, string | number | undefined>,
  field: string,
  what: { operation: string; zone?: string },
  call?: ProviderCallOptions,
): Promise<T[]> {
  const items: T[] = [];
  let page: number | null | undefined = 1;
  for (let count = 0; page && count < 1000; count++) {
    const answer: { body: Paged & Record<string, unknown> } = await api.request<
      Paged & Record<string, unknown>
    >({
      method: 'GET',
      path,
      query: { ...query, page },
      ...what,
      signal: call?.signal,
    });
    const list = answer.body?.[field];
    if (Array.isArray(list)) items.push(...(list as T[]));
    const next: number | null | undefined = answer.body?.meta?.pagination?.next_page;
    page = typeof next === 'number' && next > page ? next : undefined;
  }
  return items;
}

/**
 * Waits until an action has finished: record changes run asynchronously and are in the zone once the action
 * reports `success`. Polls `GET /zones/actions/{id}`, first after `intervalMs`, then ×1.5 up to 2 s.
 *
 * @throws CertkeeperError DNS_PROVIDER_FAILED when the action ends in `error` (not retryable) or is still running
 * after `timeoutMs` (retryable: it may still succeed; the solver's propagation check will see it).
 */
export async function awaitAction(
  api: ProviderHttpClient,
  action: ApiAction,
  options: { intervalMs: number; timeoutMs: number; operation: string; zone: string; signal?: AbortSignal },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let current = action;
  let interval = options.intervalMs;
  while (current.status === 'running') {
    if (Date.now() >= deadline)
      throw providerFailed(
        PROVIDER_NAME,
        options.operation,
        `action ${current.id} still running after ${options.timeoutMs} ms`,
        {
          retryable: true,
        },
      );
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(interval, Math.max(0, deadline - Date.now()))),
    );
    options.signal?.throwIfAborted();
    interval = Math.min(2000, interval * 1.5);
    const { body } = await api.request<{ action: ApiAction }>({
      method: 'GET',
      path: `zones/actions/${current.id}`,
      operation: options.operation,
      zone: options.zone,
      signal: options.signal,
    });
    current = body.action;
  }
  if (current.status === 'error')
    throw providerFailed(
      PROVIDER_NAME,
      options.operation,
      `action ${current.id} failed: ${current.error?.code ?? 'error'}: ${current.error?.message ?? 'no details'}`,
      { retryable: false },
    );
}
