import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http01ChallengeRegistry } from './challenge-registry.js';
import { ACME_CHALLENGE_PATH } from './token.js';

/**
 * Answers `req` if it asks for a challenge resource and returns `true`; returns `false` (and touches nothing)
 * for any other path, so the caller can route it elsewhere.
 *
 * - GET/HEAD of a published token: 200, `Content-Type: application/octet-stream` (the media type of the
 *   RFC 8555 §8.3 example; Let's Encrypt's VA ignores it and compares the body, trailing whitespace trimmed),
 *   the key authorization as the exact body, no trailing newline.
 * - Unknown or malformed token: 404. Other methods on the challenge path: 405 with `Allow: GET, HEAD`.
 * - `Cache-Control: no-store` on every answer, so a cache in front never replays a 404 fetched before publish.
 *
 * `url` defaults to `req.url`; frameworks that rewrite it when mounting (Express) pass the original URL.
 */
export function answerChallengeRequest(
  req: IncomingMessage,
  res: ServerResponse,
  registry: Http01ChallengeRegistry,
  url: string | undefined = req.url,
): boolean {
  const path = requestPath(url ?? '');
  if (!path.startsWith(ACME_CHALLENGE_PATH)) return false;

  if (req.method !== 'GET' && req.method !== 'HEAD') {
    send(res, req, 405, 'text/plain; charset=utf-8', 'Method Not Allowed\n', { Allow: 'GET, HEAD' });
    return true;
  }
  // `get` validates the token, so nothing but a base64url string ever reaches the lookup.
  const keyAuthorization = registry.get(path.slice(ACME_CHALLENGE_PATH.length));
  if (keyAuthorization === undefined) {
    send(res, req, 404, 'text/plain; charset=utf-8', 'Not Found\n');
  } else {
    send(res, req, 200, 'application/octet-stream', keyAuthorization);
  }
  return true;
}

/** The path of an origin-form (`/p?q`) or absolute-form (`http://h/p`) request target, without query. */
function requestPath(url: string): string {
  const end = url.search(/[?#]/);
  const target = end === -1 ? url : url.slice(0, end);
  if (target.startsWith('/')) return target;
  try {
    return new URL(target).pathname;
  } catch {
    return '';
  }
}

function send(
  res: ServerResponse,
  req: IncomingMessage,
  status: number,
  contentType: string,
  body: string,
  extra: Record<string, string> = {},
): void {
  const bytes = Buffer.from(body, 'ascii');
  res.writeHead(status, {
    'Content-Type': contentType,
    'Content-Length': String(bytes.length),
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}
