import { AsyncLocalStorage } from 'node:async_hooks';
import { ProviderHttpClient as HttpClient, headerOf, type ProviderHttpClient } from '@certkeeper/dns';
import type { ResolvedOptions } from './options.js';

export const PROVIDER_NAME = 'dnsimple';

/** What the provider is doing when the SDK sends a request: names the operation in errors, says what is accepted. */
export interface CallContext {
  readonly operation: string;
  readonly zone?: string;
  /** Statuses handed back to the SDK (which turns them into NotFoundError / ClientError for the provider). */
  readonly accept?: readonly number[];
  /** False for a create: after a timeout or a 5xx it may have been applied, so it is not repeated. */
  readonly idempotent?: boolean;
  readonly signal?: AbortSignal | undefined;
}

/** The SDK's transport hook (`new DNSimple({ fetcher })`). */
type Fetcher = (request: {
  url: string;
  method: string;
  headers: Record<string, string>;
  timeout: number;
  body?: string;
}) => Promise<{ status: number; body: string }>;

/**
 * Binds the official SDK to the shared bounded client: the SDK builds paths, queries and bodies; every request
 * goes through `ProviderHttpClient` (undici, time limit, size cap, brief retries honouring `Retry-After` and
 * `X-RateLimit-Reset`, typed errors quoting DNSimple's `message`). The SDK's own Node transport is `https.request`
 * with no cancellation and no size cap, and drops the rate-limit headers.
 */
export class DnsimpleTransport {
  private readonly context = new AsyncLocalStorage<CallContext>();
  readonly http: ProviderHttpClient;

  constructor(options: ResolvedOptions) {
    this.http = new HttpClient({
      provider: PROVIDER_NAME,
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      retry: { maxDelayMs: options.maxRetryWaitMs },
      redactor: options.redactor,
      describeError: (body) => {
        const error = body as { message?: unknown; errors?: unknown } | undefined;
        if (typeof error?.message !== 'string') return undefined;
        return error.errors && typeof error.errors === 'object'
          ? `${error.message} ${JSON.stringify(error.errors)}`
          : error.message;
      },
      rateLimitResetOf: (headers) => {
        const reset = Number(headerOf(headers, 'x-ratelimit-reset'));
        return Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : undefined;
      },
    });
  }

  /** Runs `call` (SDK calls) with `context` describing each request it sends. */
  run<T>(context: CallContext, call: () => Promise<T>): Promise<T> {
    return this.context.run(context, call);
  }

  readonly fetcher: Fetcher = async ({ url, method, headers, body }) => {
    const context = this.context.getStore() ?? { operation: `${method} ${new URL(url).pathname}` };
    const target = new URL(url);
    const response = await this.http.request({
      method: method as 'GET' | 'POST' | 'DELETE',
      path: target.pathname,
      query: Object.fromEntries(target.searchParams),
      // The client sets accept and content-type itself; the SDK's Authorization and User-Agent go as they are.
      headers: { authorization: headers.Authorization ?? '', 'user-agent': headers['User-Agent'] ?? '' },
      ...(body === undefined ? {} : { body: JSON.parse(body) as unknown }),
      operation: context.operation,
      ...(context.zone ? { zone: context.zone } : {}),
      ...(context.accept ? { accept: context.accept } : {}),
      ...(context.idempotent === false ? { idempotent: false } : {}),
      signal: context.signal,
    });
    return {
      status: response.status,
      body: response.body === undefined ? '' : JSON.stringify(response.body),
    };
  };
}
