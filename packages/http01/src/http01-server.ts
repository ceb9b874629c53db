import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { Http01ChallengeRegistry } from './challenge-registry.js';
import { toListenError } from './listen-error.js';
import { answerChallengeRequest } from './respond.js';

// Node's http module through process.getBuiltinModule, not an ES import: importing it as an ES module reads every
// export, and its lazy WebSocket/EventSource getters load Node's internal undici (~7 MB of RSS, ~10 ms), unused.
const { createServer } = process.getBuiltinModule('node:http');

/** Options of {@link startHttp01Server}. */
export interface Http01ServerOptions {
  /** Address to listen on. Default: every address (Node's default, `::` dual-stack where available). */
  readonly host?: string;
  /** TCP port; 0 picks a free one (see {@link Http01Server.port}). Default 80, where CAs connect. */
  readonly port?: number;
  /** The responses to serve. Default: a new, empty registry. */
  readonly registry?: Http01ChallengeRegistry;
  /** How long `stop()` lets requests in progress finish before their connections are cut. Default 2000 ms. */
  readonly stopGraceMs?: number;
}

/** A running standalone responder. */
export interface Http01Server {
  /** The address actually bound, as the operating system reports it. */
  readonly host: string;
  /** The port actually bound (useful with `port: 0`). */
  readonly port: number;
  readonly registry: Http01ChallengeRegistry;
  /**
   * Stops listening, closes idle keep-alive connections at once, lets requests in progress finish for
   * `stopGraceMs`, then cuts what is left. Resolves when every connection is closed. Idempotent.
   */
  stop(): Promise<void>;
}

// A CA's validation request is one small GET; nothing legitimate needs the minutes Node allows by default, and
// short limits keep a slow client from holding the port's sockets open.
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * Starts a minimal HTTP server that answers only `/.well-known/acme-challenge/<token>` (everything else: 404).
 *
 * Resolves once the port is bound. Rejects with `Http01ListenError` (`CERTKEEPER_ERR_LISTEN_FAILED`) when the
 * port is taken, privileged or the address is not local, and with `CERTKEEPER_ERR_INVALID_OPTION` on a bad port.
 */
export async function startHttp01Server(options: Http01ServerOptions = {}): Promise<Http01Server> {
  const port = options.port ?? 80;
  const stopGraceMs = options.stopGraceMs ?? 2000;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_OPTION,
      `HTTP-01 responder port ${port} is not a TCP port.`,
      {
        hint: 'Use an integer from 0 to 65535 (0 picks a free port).',
      },
    );
  }
  const registry = options.registry ?? new Http01ChallengeRegistry();
  let stopping: Promise<void> | undefined;

  const server = createServer(
    { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS },
    (req: IncomingMessage, res: ServerResponse) => {
      // Once stopping, tell keep-alive clients not to reuse the connection, so it closes after this answer.
      if (stopping) res.setHeader('Connection', 'close');
      if (answerChallengeRequest(req, res, registry)) return;
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': '10' });
      res.end(req.method === 'HEAD' ? undefined : 'Not Found\n');
    },
  );

  await new Promise<void>((resolve, reject) => {
    const onError = (error: unknown) => reject(toListenError(error, options.host ?? '*', port));
    server.once('error', onError);
    server.listen({ host: options.host, port }, () => {
      server.off('error', onError);
      resolve();
    });
  });

  const address = server.address() as AddressInfo;
  return {
    host: address.address,
    port: address.port,
    registry,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        const cutOff = setTimeout(() => server.closeAllConnections(), stopGraceMs);
        cutOff.unref();
        // Since Node 19, close() also closes idle keep-alive connections at once instead of waiting for their
        // keep-alive timeout; connections with a request in progress finish it (with `Connection: close`).
        server.close(() => {
          clearTimeout(cutOff);
          resolve();
        });
      });
      return stopping;
    },
  };
}
