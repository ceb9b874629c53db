import type { IncomingHttpHeaders } from 'node:http';
import type { RawResponse } from './upstream.js';

// Bodies that can hold URLs: ACME JSON, problem documents, text. Certificates (PEM or DER) are left byte-exact.
const textual = /json|text\//i;

/**
 * Replaces the target's origin with the proxy's in `Location`, `Link` and textual bodies, so that a client keeps
 * talking through the proxy even when the server writes absolute URLs from its own configuration instead of the
 * request's `Host`.
 */
export function rewriteResponse(response: RawResponse, from: string, to: string): RawResponse {
  // Not followed by a digit: `https://127.0.0.1:1400` must not match inside `https://127.0.0.1:14000`.
  const pattern = new RegExp(`${from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![0-9])`, 'g');
  const replace = (text: string) => text.replace(pattern, () => to);
  // Indexed through a plain dictionary: several Location or Link fields arrive as an array.
  const headers: NodeJS.Dict<string | string[]> = { ...response.headers };
  for (const name of ['location', 'link']) {
    const value = headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.map(replace) : replace(value);
  }
  const contentType = String(headers['content-type'] ?? '');
  const body = textual.test(contentType)
    ? Buffer.from(replace(response.body.toString('utf8')), 'utf8')
    : response.body;
  return { status: response.status, headers: headers as IncomingHttpHeaders, body };
}
