import { createServer, type Server } from 'node:http';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type { CertkeeperMetrics } from '@certkeeper/manager';
import { formatListenAddress, type ListenAddress } from '../settings/listen-address.js';

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
 * `/metrics` (Prometheus text format from the manager's registry) and `/healthz` (JSON; 200 while the loop runs
 * and its last sweep completed, else 503). Nothing else is served, and nothing secret is in either.
 */
export async function startEndpoints(
  listen: ListenAddress,
  metrics: CertkeeperMetrics,
  health: () => DaemonHealth,
): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        () => response.writeHead(500).end(),
      );
      return;
    }
    if (path === '/healthz') {
      const state = health();
      const ok = state.running && !state.lastSweepError;
      response
        .writeHead(ok ? 200 : 503, { 'content-type': 'application/json' })
        .end(`${JSON.stringify({ status: ok ? 'ok' : 'unhealthy', ...state })}\n`);
      return;
    }
    response
      .writeHead(404, { 'content-type': 'text/plain' })
      .end('certkeeper serves /metrics and /healthz\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new CertkeeperError(
          ErrorCodes.LISTEN_FAILED,
          `The daemon cannot serve /metrics and /healthz on ${formatListenAddress(listen)} (${error.code}); nothing was started.`,
          { hint: 'choose another daemon.listen address, or "off".', cause: error },
        ),
      ),
    );
    server.listen(listen.port, listen.host, () => resolve());
  });
  return server;
}
