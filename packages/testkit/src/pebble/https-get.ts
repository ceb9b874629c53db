import { request } from 'node:https';

export interface SimpleResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/**
 * GET over HTTPS trusting only `caPem`. Used to poll Pebble's directory and read its management API without a
 * dependency on undici. Rejects on network or TLS failure and after `timeoutMs`.
 */
export function httpsGet(url: string, caPem: string, timeoutMs = 2_000): Promise<SimpleResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', ca: caPem, agent: false, timeout: timeoutMs }, (res) => {
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
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end();
  });
}
