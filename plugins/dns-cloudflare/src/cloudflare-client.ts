import Cloudflare from 'cloudflare';
import { retryAfterOf } from './cloudflare-errors.js';
import type { CloudflareOptions } from './cloudflare-options.js';

/**
 * The official SDK client, set up for a provider: the token only (never the global API key from the
 * environment), bounded retries, and Retry-After honoured only while it is short.
 *
 * The SDK retries 429, 408, 409 and 5xx and sleeps for whatever Retry-After says; after a burst Cloudflare can ask
 * for minutes, which would block a worker in the middle of an order. So a fetch wrapper marks answers whose wait
 * exceeds `maxRetryWaitMs` with `x-should-retry: false` (the SDK's own switch): the SDK then fails at once and the
 * provider reports the server's retry time in a typed error, for the caller's scheduler.
 */
export function createCloudflareClient(options: CloudflareOptions, apiToken: string): Cloudflare {
  const maxWaitMs = options.maxRetryWaitMs ?? 10_000;
  const cappedFetch: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    if (response.status !== 429 && response.status < 500) return response;
    const retryAt = retryAfterOf(response.headers);
    if (!retryAt || retryAt.getTime() - Date.now() <= maxWaitMs) return response;
    const headers = new Headers(response.headers);
    headers.set('x-should-retry', 'false');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
  return new Cloudflare({
    apiToken,
    apiKey: null,
    apiEmail: null,
    userServiceKey: null,
    ...(options.baseUrl ? { baseURL: options.baseUrl } : {}),
    maxRetries: options.maxRetries ?? 2,
    timeout: options.timeoutMs ?? 30_000,
    fetch: cappedFetch,
  });
}
