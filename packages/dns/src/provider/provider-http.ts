import {
  BodyLimitExceeded,
  parseRetryAfter,
  processSecretRedactor,
  readCappedBody,
  type SecretRedactor,
} from '@certkeeper/core';
import { providerFailed, providerUnauthorized, zoneNotFound } from './provider-errors.js';
import { type RetryOptions, withProviderRetry } from './provider-retry.js';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** How a provider package talks to its host's JSON REST API. */
export interface ProviderHttpOptions {
  /** The provider's short name, for messages (`"desec"`). */
  readonly provider: string;
  /** The API root; request paths are resolved below it (`https://desec.io/api/v1/`). */
  readonly baseUrl: string;
  /** Sent with every request (authentication). Never part of an error message. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Time limit per request, headers and body. Default 30 000 ms. */
  readonly timeoutMs?: number;
  /** Largest answer read; a bigger one fails (a hostile or broken server cannot exhaust memory). Default 4 MiB. */
  readonly maxResponseBytes?: number;
  /** Brief retries of 429, 5xx and network errors. Default 3 attempts, 250 ms doubling, waits up to 5 s. */
  readonly retry?: RetryOptions;
  /** The service's own error text from a failed answer (its error envelope), quoted in messages. */
  readonly describeError?: (body: unknown, status: number) => string | undefined;
  /** When a 429 carries no `Retry-After`: the reset time from the service's own headers, if it sends one. */
  readonly rateLimitResetOf?: (headers: Headers) => Date | undefined;
  /** The wait assumed after a 429 that says nothing about when to retry. Default 60 000 ms. */
  readonly defaultRateLimitWaitMs?: number;
  /** Other failures the service says are transient (Hetzner's 409 `locked`): retried like a 5xx. */
  readonly transient?: (body: unknown, status: number) => boolean;
  /**
   * Scrubs a failed answer before any of it is quoted: a service may echo the request's credentials in its error.
   * Default: the process's redactor, which knows every secret option of every plugin (parsePluginConfig).
   */
  readonly redactor?: SecretRedactor;
}

export interface ProviderRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Relative to `baseUrl` (no leading slash), or an absolute URL on the same origin (a `next` page link). */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | undefined>>;
  /** Sent as JSON. */
  readonly body?: unknown;
  /** Headers of this request only (per-account credentials); like the client's, never part of a message. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * `false` for a call that must not be repeated after a timeout or a 5xx (a POST creating a record: it may have
   * been applied); it is then retried only when the API refused it (429). Default true.
   */
  readonly idempotent?: boolean;
  /** What is being done, for messages: `"create the TXT record at _acme-challenge.example.com"`. */
  readonly operation: string;
  /** The zone concerned, for messages. */
  readonly zone?: string;
  /**
   * Failures handed back instead of thrown: statuses (404 for "absent"), or a test of the status and body (a 409
   * whose error code says "exists", while a 409 "locked" is still retried).
   */
  readonly accept?: readonly number[] | ((status: number, body: unknown) => boolean);
  readonly signal?: AbortSignal | undefined;
  /** A successful answer's body is not read as JSON (webhooks answer `OK`, HTML or nothing). */
  readonly ignoreBody?: boolean;
}

export interface ProviderResponse<T = unknown> {
  readonly status: number;
  /** Lower-case names. */
  readonly headers: Headers;
  /** The parsed JSON body; undefined when empty. */
  readonly body: T;
}

let undici: Promise<typeof import('undici')> | undefined;

/**
 * undici, loaded at the first request: every dns-01 run loads `@certkeeper/dns`, and those whose provider sends no
 * HTTP through this client (exec, rfc2136) paid ~40-60 ms of CPU for undici before their first ACME request
 * (issue 13, S4). A provider that does send pays it at its first call instead of at start-up.
 */
function loadUndici(): Promise<typeof import('undici')> {
  // undici is CommonJS: its exports object is the default export. The CLI's bundle gives only that, with no named
  // exports beside it; Node's own import gives both.
  undici ??= import('undici').then(
    (namespace) => ((namespace as { default?: unknown }).default ?? namespace) as typeof namespace,
  );
  return undici;
}

/**
 * A bounded JSON client for provider packages that talk to a REST API with undici: a time limit and a size cap on
 * every answer, brief retries (`withProviderRetry`) honouring `Retry-After`, and the port's typed errors —
 * 401/403 → `DNS_PROVIDER_UNAUTHORIZED`; 429, 408 and 5xx → retryable `DNS_PROVIDER_FAILED` with `retryAfter`;
 * other statuses → `DNS_PROVIDER_FAILED`, not retryable, quoting the service's error text. Headers (credentials)
 * never reach a message.
 */
export class ProviderHttpClient {
  private readonly base: URL;

  constructor(private readonly options: ProviderHttpOptions) {
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  }

  get origin(): string {
    return this.base.origin;
  }

  request<T = unknown>(call: ProviderRequest): Promise<ProviderResponse<T>> {
    return withProviderRetry(() => this.once<T>(call), {
      attempts: 3,
      baseDelayMs: 250,
      ...this.options.retry,
      ...(call.idempotent === false ? { onlyIfRefused: true } : {}),
      ...(call.signal ? { signal: call.signal } : {}),
    });
  }

  /**
   * `GET path` for a zone the service must have (a domain, a zone object): its body, or DNS_ZONE_NOT_FOUND when the
   * service answers 404 — the one way every REST provider learns that the credentials' account lacks the zone.
   */
  async requireZone<T = unknown>(path: string, zone: string, signal?: AbortSignal): Promise<T> {
    const { status, body } = await this.request<T>({
      method: 'GET',
      path,
      operation: `look up the zone ${zone}`,
      zone,
      accept: [404],
      signal,
    });
    if (status === 404) throw zoneNotFound(this.options.provider, zone);
    return body;
  }

  /** The URL a request goes to (for links the service returns, which must stay on its origin). */
  urlOf(call: Pick<ProviderRequest, 'path' | 'query'>): URL {
    const url = new URL(call.path, this.base);
    if (url.origin !== this.base.origin)
      throw providerFailed(this.options.provider, 'follow a link', `it leaves ${this.base.origin}`, {
        retryable: false,
      });
    for (const [key, value] of Object.entries(call.query ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    return url;
  }

  private async once<T>(call: ProviderRequest): Promise<ProviderResponse<T>> {
    const url = this.urlOf(call);
    const { provider } = this.options;
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    const signal = AbortSignal.any([AbortSignal.timeout(timeoutMs), ...(call.signal ? [call.signal] : [])]);
    const { request } = await loadUndici();
    let status: number;
    let headers: Headers;
    let text: string;
    try {
      const response = await request(url, {
        method: call.method,
        headers: {
          accept: 'application/json',
          ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...this.options.headers,
          ...call.headers,
        },
        ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
        signal,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      status = response.statusCode;
      headers = response.headers;
      text = (await readCappedBody(response.body, this.options.maxResponseBytes ?? 4 * 1024 * 1024)).toString(
        'utf8',
      );
    } catch (error) {
      if (error instanceof BodyLimitExceeded)
        throw providerFailed(
          provider,
          call.operation,
          `the answer from ${url.origin} is larger than ${error.limitBytes} bytes`,
          {
            retryable: false,
          },
        );
      const aborted = call.signal?.aborted === true;
      const reason = aborted
        ? 'cancelled'
        : signal.aborted
          ? `no answer within ${timeoutMs} ms`
          : describe(error);
      throw providerFailed(
        provider,
        call.operation,
        `${reason} (${call.method} ${url.origin}${url.pathname})`,
        {
          cause: error,
          retryable: !aborted,
        },
      );
    }
    const body = call.ignoreBody && status >= 200 && status < 300 ? undefined : parseBody(text);
    const accepted =
      typeof call.accept === 'function'
        ? status >= 300 && call.accept(status, body === INVALID ? undefined : body)
        : call.accept?.includes(status) === true;
    if ((status >= 200 && status < 300) || accepted) {
      if (body === INVALID)
        throw providerFailed(provider, call.operation, `HTTP ${status} with a body that is not JSON`, {
          retryable: false,
        });
      return { status, headers, body: body as T };
    }
    throw this.failure(call, status, headers, body === INVALID ? text : body);
  }

  private failure(call: ProviderRequest, status: number, headers: Headers, body: unknown): Error {
    const { provider } = this.options;
    // Scrubbed whole, before anything is cut to length: a secret cut in two would no longer be recognised.
    const clean = (this.options.redactor ?? processSecretRedactor()).redactValue(body);
    const said = this.options.describeError?.(clean, status) ?? snippet(clean);
    const detail = `HTTP ${status}${said ? `: ${said}` : ''}`;
    if (status === 401 || status === 403) return providerUnauthorized(provider, call.zone, detail);
    if (status === 429) {
      const now = new Date();
      const retryAfter =
        parseRetryAfter(headerOf(headers, 'retry-after'), now) ??
        this.options.rateLimitResetOf?.(headers) ??
        new Date(now.getTime() + (this.options.defaultRateLimitWaitMs ?? 60_000));
      return providerFailed(provider, call.operation, `${detail} (rate limited)`, {
        retryable: true,
        retryAfter,
      });
    }
    const retryAfter = parseRetryAfter(headerOf(headers, 'retry-after'), new Date());
    return providerFailed(provider, call.operation, detail, {
      retryable: status >= 500 || status === 408 || this.options.transient?.(body, status) === true,
      ...(retryAfter ? { retryAfter } : {}),
    });
  }
}

export function headerOf(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

const INVALID = Symbol('not JSON');

function parseBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return INVALID;
  }
}

/** A short, printable excerpt of an answer the service's envelope did not explain. */
function snippet(body: unknown): string {
  if (body === undefined) return '';
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return text
    .replace(/[^\x20-\x7e]+/g, ' ')
    .trim()
    .slice(0, 200);
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return `${error.message}${code && !error.message.includes(code) ? ` (${code})` : ''}`;
}
