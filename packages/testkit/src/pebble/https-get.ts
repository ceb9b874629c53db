import { request } from 'node:https';
import { HARNESS_USER_AGENT } from '../harness-user-agent.js';

export interface SimpleResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * A request over HTTPS trusting only `caPem`, with a User-Agent. Used to poll Pebble's directory and drive its
 * management API without a dependency on undici. Rejects on network or TLS failure and after `timeoutMs`.
 */
export function httpsRequest(
  url: string,
  caPem: string,
  options: { readonly method?: 'GET' | 'POST'; readonly body?: string; readonly timeoutMs?: number } = {},
): Promise<SimpleResponse> {
  const timeoutMs = options.timeoutMs ?? 2_000;
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? 'GET',
        ca: caPem,
        agent: false,
        timeout: timeoutMs,
        headers: {
          'user-agent': HARNESS_USER_AGENT,
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`${options.method ?? 'GET'} ${url} timed out after ${timeoutMs} ms`)),
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** GET over HTTPS trusting only `caPem` (see {@link httpsRequest}). */
export function httpsGet(url: string, caPem: string, timeoutMs = 2_000): Promise<SimpleResponse> {
  return httpsRequest(url, caPem, { timeoutMs });
}
