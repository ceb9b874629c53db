import { ProviderHttpClient } from '@certkeeper/dns';
import type { ResolvedOptions } from './options.js';

export const PROVIDER_NAME = 'httpreq';

/** The webhook, over the shared bounded client, with basic authentication when configured. */
export function createApi(options: ResolvedOptions): ProviderHttpClient {
  return new ProviderHttpClient({
    provider: PROVIDER_NAME,
    baseUrl: options.endpoint,
    ...(options.redactor ? { redactor: options.redactor } : {}),
    headers: options.authorization ? { authorization: options.authorization } : {},
    timeoutMs: options.timeoutMs,
    retry: { maxDelayMs: options.maxRetryWaitMs },
    // In-house servers answer errors in any shape: a JSON `error` or `message`, else the start of the text.
    describeError: (body) => {
      const said = body as { error?: unknown; message?: unknown } | undefined;
      for (const text of [said?.error, said?.message])
        if (typeof text === 'string') return text.slice(0, 200);
      return undefined;
    },
  });
}
