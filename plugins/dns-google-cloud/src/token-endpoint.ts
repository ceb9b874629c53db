import { BodyLimitExceeded, readCappedBody } from '@certkeeper/core';
import { providerFailed, providerUnauthorized, withProviderRetry } from '@certkeeper/dns';
import { request } from 'undici';
import { PROVIDER_NAME } from './options.js';

/** An OAuth 2 access token and when to stop using it. */
export interface AccessToken {
  readonly value: string;
  readonly expiresAt: number;
}

/**
 * `POST` a form to an OAuth 2 token endpoint (RFC 6749 §4: form-encoded, not JSON, so not `ProviderHttpClient`) and
 * read `{ access_token, expires_in }`. A refused grant (400/401 `invalid_grant`, `invalid_client`) is
 * DNS_PROVIDER_UNAUTHORIZED quoting `error_description`; 429, 5xx and network failures are retried briefly.
 */
export function exchangeForToken(
  url: string,
  form: Record<string, string>,
  options: { timeoutMs: number; maxRetryWaitMs: number; signal?: AbortSignal | undefined },
): Promise<AccessToken> {
  return withProviderRetry(() => postOnce(url, form, options), {
    maxDelayMs: options.maxRetryWaitMs,
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

async function postOnce(
  url: string,
  form: Record<string, string>,
  options: { timeoutMs: number; signal?: AbortSignal | undefined },
): Promise<AccessToken> {
  const operation = 'obtain an access token';
  const where = new URL(url);
  const signal = AbortSignal.any([
    AbortSignal.timeout(options.timeoutMs),
    ...(options.signal ? [options.signal] : []),
  ]);
  let status: number;
  let text: string;
  try {
    const response = await request(where, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      signal,
    });
    status = response.statusCode;
    text = (await readCappedBody(response.body, 64 * 1024)).toString('utf8');
  } catch (error) {
    const detail =
      error instanceof BodyLimitExceeded
        ? 'the answer is too large'
        : signal.aborted
          ? `no answer within ${options.timeoutMs} ms`
          : error instanceof Error
            ? error.message
            : String(error);
    throw providerFailed(PROVIDER_NAME, operation, `${detail} (POST ${where.origin}${where.pathname})`, {
      retryable: options.signal?.aborted !== true && !(error instanceof BodyLimitExceeded),
      cause: error,
    });
  }
  let body: { access_token?: unknown; expires_in?: unknown; error?: unknown; error_description?: unknown } =
    {};
  try {
    body = JSON.parse(text);
  } catch {
    // Described below by status.
  }
  if (status === 200 && typeof body.access_token === 'string') {
    const seconds = typeof body.expires_in === 'number' ? body.expires_in : 3600;
    return { value: body.access_token, expiresAt: Date.now() + seconds * 1000 };
  }
  const said =
    typeof body.error === 'string'
      ? `${body.error}${typeof body.error_description === 'string' ? `: ${body.error_description}` : ''}`
      : 'no access_token in the answer';
  const detail = `the token endpoint ${where.origin}${where.pathname} answered HTTP ${status}: ${said}`;
  if (status === 400 || status === 401 || status === 403)
    throw providerUnauthorized(PROVIDER_NAME, undefined, detail);
  throw providerFailed(PROVIDER_NAME, operation, detail, { retryable: status === 429 || status >= 500 });
}
