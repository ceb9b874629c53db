import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http01ChallengeRegistry } from './challenge-registry.js';
import { answerChallengeRequest } from './respond.js';

/**
 * A request handler that serves challenge responses inside an existing `node:http` server or Express app.
 *
 * It returns `true` when it answered the request (any `/.well-known/acme-challenge/…` path: 200, 404 or 405).
 * For every other request it returns `false` and, when given `next` (Express, Connect), calls `next()`.
 */
export type Http01RequestHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => boolean;

/**
 * Creates a {@link Http01RequestHandler} backed by `registry`.
 *
 * @example node:http
 * ```ts
 * const handle = createHttp01Handler(registry);
 * http.createServer((req, res) => handle(req, res) || app(req, res));
 * ```
 * @example Express (mount it before routes that could shadow `/.well-known/`)
 * ```ts
 * app.use(createHttp01Handler(registry));
 * ```
 */
export function createHttp01Handler(registry: Http01ChallengeRegistry): Http01RequestHandler {
  return (req, res, next) => {
    // Express rewrites req.url below a mount path; originalUrl keeps the path the CA asked for.
    const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url;
    if (answerChallengeRequest(req, res, registry, url)) return true;
    next?.();
    return false;
  };
}
