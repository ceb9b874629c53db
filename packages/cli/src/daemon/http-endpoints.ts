import type { Server } from 'node:http';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type { CertkeeperMetrics } from '@certkeeper/manager';
import { formatListenAddress, type ListenAddress } from '../settings/listen-address.js';
import type { DaemonSite } from './daemon-site.js';

// Not an ES import of node:http: that loads Node's internal undici too (see core's http-client.ts).
const { createServer } = process.getBuiltinModule('node:http');

/** What /healthz reports about the daemon's loop. */
export interface DaemonHealth {
  /** The loop is running (not stopping). */
  readonly running: boolean;
  readonly lastSweepAt?: string;
  readonly nextSweepAt?: string;
  /** The last sweep threw (store or account unusable): the daemon cannot keep anything fresh. */
  readonly lastSweepError?: string;
  /** Certificates whose last attempt failed or was deferred (the daemon itself is healthy). */
  readonly failing: readonly string[];
  readonly deferred: readonly string[];
}

/**
 * The daemon's HTTP face on `daemon.listen`: the status page and its API (from @certkeeper/web), `/metrics`
 * (Prometheus text format from the manager's registry) and `/healthz` (200 while the loop runs and its last sweep
 * completed, else 503). Every response carries the site's security headers; the page's data and the metrics pass
 * its access guard. `/healthz` answers anyone with its status alone — a probe needs no token — and the details
 * (which certificates fail) only to those the guard lets in. Nothing secret is served anywhere.
 */
export async function startEndpoints(
  listen: ListenAddress,
  metrics: CertkeeperMetrics,
  health: () => DaemonHealth,
  /** The current site: a SIGHUP replaces it while the listener stays. */
  currentSite: () => DaemonSite,
): Promise<Server> {
  const server = createServer((request, response) => {
    const site = currentSite();
    for (const [name, value] of Object.entries(site.securityHeaders)) response.setHeader(name, value);
    const path = (request.url ?? '/').split('?')[0]!;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (site.page.handle(request, response, path)) return;
    const access = site.guard.check(request);
    if (path === '/healthz') {
      const state = health();
      const ok = state.running && !state.lastSweepError;
      const status = ok ? 'ok' : 'unhealthy';
      response
        .writeHead(ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' })
        .end(`${JSON.stringify(access.allowed ? { status, ...state } : { status })}\n`);
      return;
    }
    if (!access.allowed) {
      response
        .writeHead(access.status, {
          'content-type': 'text/plain; charset=utf-8',
          ...(access.status === 401 ? { 'www-authenticate': 'Bearer realm="certkeeper"' } : {}),
        })
        .end(`${access.message}\n`);
      return;
    }
    if (path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        () => response.writeHead(500).end(),
      );
      return;
    }
    response
      .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
      .end('certkeeper serves its status page at /, /api/status, /api/events, /metrics and /healthz\n');
  });
  // Bounds for a server other machines may reach: slow or idle clients cannot hold connections for ever.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.maxHeadersCount = 64;
  server.maxConnections = 256;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new CertkeeperError(
          ErrorCodes.LISTEN_FAILED,
          `The daemon cannot serve its status page, /metrics and /healthz on ${formatListenAddress(listen)} (${error.code}); nothing was started.`,
          { hint: 'choose another daemon.listen address, or "off".', cause: error },
        ),
      ),
    );
    server.listen(listen.port, listen.host, () => resolve());
  });
  return server;
}
