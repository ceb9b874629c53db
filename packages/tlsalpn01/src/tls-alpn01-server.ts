import type { AddressInfo, Socket } from 'node:net';
import { createServer, type SecureContext, type TLSSocket, type TlsOptions } from 'node:tls';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { toListenError } from '@certkeeper/http01';
import { ACME_TLS_ALPN_PROTOCOL } from './acme-tls-protocol.js';
import { TlsAlpn01ChallengeRegistry } from './challenge-registry.js';
import { TLS_ALPN01_RESPONDER } from './responder-description.js';

/** Options of {@link startTlsAlpn01Server}. */
export interface TlsAlpn01ServerOptions {
  /** Address to listen on. Default: every address (Node's default, `::` dual-stack where available). */
  readonly host?: string;
  /** TCP port; 0 picks a free one (see {@link TlsAlpn01Server.port}). Default 443, where CAs connect. */
  readonly port?: number;
  /** The responses to serve. Default: a new, empty registry. */
  readonly registry?: TlsAlpn01ChallengeRegistry;
  /** How long `stop()` waits for connections to close before cutting them. Default 2000 ms. */
  readonly stopGraceMs?: number;
}

/** A running standalone tls-alpn-01 responder. */
export interface TlsAlpn01Server {
  /** The address actually bound, as the operating system reports it. */
  readonly host: string;
  /** The port actually bound (useful with `port: 0`). */
  readonly port: number;
  readonly registry: TlsAlpn01ChallengeRegistry;
  /** Stops listening; open connections get `stopGraceMs` to close, then are cut. Idempotent. */
  stop(): Promise<void>;
}

// A validation is one handshake; a client that has not finished it by then is not a CA.
const HANDSHAKE_TIMEOUT_MS = 10_000;

/**
 * Starts a TLS server that only completes handshakes offering ALPN `acme-tls/1` with the server name of a
 * pending challenge, presenting that challenge's certificate (RFC 8737 §3). Every other handshake is refused:
 * an unknown or missing server name, or (TLS 1.3) no `acme-tls/1` offer, closes the connection; an offer of
 * other protocols gets the `no_application_protocol` alert; a TLS 1.2 client that offered no ALPN at all is cut
 * right after its handshake. No application data is ever exchanged; the connection is closed once the
 * handshake completes.
 *
 * Resolves once the port is bound. Rejects with `Http01ListenError` (`CERTKEEPER_ERR_LISTEN_FAILED`, worded for
 * this responder) when the port is taken, privileged or the address is not local, and with
 * `CERTKEEPER_ERR_INVALID_OPTION` on a bad port.
 */
export async function startTlsAlpn01Server(options: TlsAlpn01ServerOptions = {}): Promise<TlsAlpn01Server> {
  const port = options.port ?? 443;
  const stopGraceMs = options.stopGraceMs ?? 2000;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_OPTION,
      `TLS-ALPN-01 responder port ${port} is not a TCP port.`,
      {
        hint: 'Use an integer from 0 to 65535 (0 picks a free port).',
      },
    );
  }
  const registry = options.registry ?? new TlsAlpn01ChallengeRegistry();
  const sockets = new Set<Socket>();
  // Connections whose ALPN offer selected acme-tls/1 (under TLS 1.3, before their certificate is chosen).
  const acmeOffers = new WeakSet<TLSSocket>();

  const server = createServer({
    minVersion: 'TLSv1.2', // RFC 8737 §4: acme-tls/1 is never negotiated below TLS 1.2
    handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
    SNICallback(
      this: TLSSocket,
      serverName: string,
      callback: (error: Error | null, context?: SecureContext) => void,
    ) {
      const context = registry.secureContext(serverName);
      // TLS 1.3 selects ALPN first: a handshake that did not select acme-tls/1 by now never offered it.
      const offered = acmeOffers.has(this) || this.getProtocol() !== 'TLSv1.3';
      // An error destroys the socket: nothing but a pending challenge is ever presented.
      if (context && offered) callback(null, context);
      else callback(new Error(`no tls-alpn-01 challenge is pending for ${JSON.stringify(serverName)}`));
    },
    ALPNCallback(this: TLSSocket, { servername, protocols }: { servername: string; protocols: string[] }) {
      if (!protocols.includes(ACME_TLS_ALPN_PROTOCOL) || !registry.has(servername)) return undefined;
      acmeOffers.add(this);
      return ACME_TLS_ALPN_PROTOCOL;
    },
  } as TlsOptions);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // The CA closes after the handshake (RFC 8737 §3); closing from this side too frees the socket at once. A TLS
  // 1.2 client that offered no ALPN at all got this far (its certificate was chosen before ALPN): cut it.
  server.on('secureConnection', (socket) => {
    if (socket.alpnProtocol === ACME_TLS_ALPN_PROTOCOL) socket.end();
    else socket.destroy();
  });
  // Refused handshakes are the normal case for scanners; they need no report.
  server.on('tlsClientError', () => {});

  await new Promise<void>((resolve, reject) => {
    const onError = (error: unknown) =>
      reject(toListenError(error, options.host ?? '*', port, TLS_ALPN01_RESPONDER));
    server.once('error', onError);
    server.listen({ host: options.host, port }, () => {
      server.off('error', onError);
      resolve();
    });
  });

  const address = server.address() as AddressInfo;
  let stopping: Promise<void> | undefined;
  return {
    host: address.address,
    port: address.port,
    registry,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        const cutOff = setTimeout(() => {
          for (const socket of sockets) socket.destroy();
        }, stopGraceMs);
        cutOff.unref();
        server.close(() => {
          clearTimeout(cutOff);
          resolve();
        });
      });
      return stopping;
    },
  };
}
