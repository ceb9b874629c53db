import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import {
  type ProviderCallOptions,
  ProviderHttpClient,
  type ProviderRequest,
  type ProviderResponse,
} from '@certkeeper/dns';
import type { AccessTokens } from './access-tokens.js';
import { PROVIDER_NAME, type ResolvedOptions } from './options.js';

/** A resource record set as Cloud DNS v1 returns it: one name and type, one TTL, every value in `rrdatas`. */
export interface ApiRrset {
  readonly kind?: string;
  /** Fully qualified, with the trailing dot. */
  readonly name: string;
  readonly type: string;
  readonly ttl: number;
  /** TXT values in presentation format (`"value"`). */
  readonly rrdatas: readonly string[];
}

/** Google's error envelope: `{ error: { code, message, errors: [{ reason, message }], status } }`. */
export function describeGoogleError(body: unknown): string | undefined {
  const error = (body as { error?: { message?: unknown; errors?: { reason?: unknown }[] } } | undefined)
    ?.error;
  if (typeof error?.message !== 'string') return undefined;
  const reason = error.errors?.[0]?.reason;
  return typeof reason === 'string' ? `${reason}: ${error.message}` : error.message;
}

/** The `reason` of a Google error answer (`alreadyExists`, `conditionNotMet`), for deciding what to do. */
export function googleReason(body: unknown): string | undefined {
  const reason = (body as { error?: { errors?: { reason?: unknown }[] } } | undefined)?.error?.errors?.[0]
    ?.reason;
  return typeof reason === 'string' ? reason : undefined;
}

/**
 * The Cloud DNS v1 REST API over the shared bounded client, each request with a current OAuth 2 access token. A
 * 401 means the token stopped being valid before its expiry (revoked, clock skew): one fresh token, one more try.
 */
export class CloudDnsApi {
  private readonly http: ProviderHttpClient;
  private projectId: Promise<string> | undefined;

  constructor(
    private readonly options: ResolvedOptions,
    private readonly tokens: AccessTokens,
  ) {
    this.http = new ProviderHttpClient({
      provider: PROVIDER_NAME,
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      retry: { maxDelayMs: options.maxRetryWaitMs },
      describeError: describeGoogleError,
    });
  }

  /** The project path prefix, `projects/<id>/`. */
  async projectPath(): Promise<string> {
    this.projectId ??= (async () => {
      const id = this.options.project ?? (await this.tokens.project());
      if (!id)
        throw new CertkeeperError(
          ErrorCodes.INVALID_OPTION,
          'The Google Cloud DNS provider needs a project id.',
          {
            hint: 'Set the project option or GOOGLE_CLOUD_PROJECT to the project that holds the managed zones.',
          },
        );
      return id;
    })();
    this.projectId.catch(() => {
      this.projectId = undefined;
    });
    return `projects/${encodeURIComponent(await this.projectId)}/`;
  }

  async request<T>(call: Omit<ProviderRequest, 'headers'>): Promise<ProviderResponse<T>> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.tokens.token(call.signal);
      try {
        return await this.http.request<T>({ ...call, headers: { authorization: `Bearer ${token}` } });
      } catch (error) {
        if (attempt > 1 || !isExpiredToken(error)) throw error;
        this.tokens.invalidate();
      }
    }
  }

  /** Every item of a listing, following `nextPageToken`. */
  async allPages<T>(
    path: string,
    query: Record<string, string | number | undefined>,
    field: string,
    what: { operation: string; zone?: string },
    call?: ProviderCallOptions,
  ): Promise<T[]> {
    const items: T[] = [];
    let pageToken: string | undefined;
    // A server repeating a page token forever must not keep us here: 1 000 pages is beyond any real project.
    for (let page = 0; page < 1000; page++) {
      const { body } = await this.request<Record<string, unknown>>({
        method: 'GET',
        path,
        query: { ...query, maxResults: this.options.pageSize, pageToken },
        ...what,
        signal: call?.signal,
      });
      const list = body?.[field];
      if (Array.isArray(list)) items.push(...(list as T[]));
      pageToken =
        typeof body?.nextPageToken === 'string' && body.nextPageToken !== '' ? body.nextPageToken : undefined;
      if (!pageToken) break;
    }
    return items;
  }
}

function isExpiredToken(error: unknown): boolean {
  return (
    CertkeeperError.isInstance(error) &&
    error.code === ErrorCodes.DNS_PROVIDER_UNAUTHORIZED &&
    error.message.includes('HTTP 401')
  );
}
