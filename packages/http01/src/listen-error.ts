import { CertkeeperError, ErrorCodes } from '@certkeeper/core';

/** Why a responder could not listen. */
export type ListenFailureReason = 'address-in-use' | 'permission-denied' | 'address-not-available' | 'other';

/**
 * `CERTKEEPER_ERR_LISTEN_FAILED`: the standalone responder could not bind `host:port`. `reason` tells the usual
 * causes apart; the system error is kept as `cause`.
 */
export class Http01ListenError extends CertkeeperError {
  readonly reason: ListenFailureReason;
  readonly host: string;
  readonly port: number;

  constructor(
    reason: ListenFailureReason,
    host: string,
    port: number,
    message: string,
    hint: string,
    cause: unknown,
  ) {
    // Another process may release the port; the other reasons need a change by a person.
    super(ErrorCodes.LISTEN_FAILED, message, { hint, cause, retryable: reason === 'address-in-use' });
    this.reason = reason;
    this.host = host;
    this.port = port;
  }
}

/** Which responder failed to listen, for {@link toListenError}'s message and hints. */
export interface ResponderDescription {
  /** "HTTP-01 responder". */
  readonly name: string;
  /** The port the CA connects to (80 for http-01, 443 for tls-alpn-01). */
  readonly caPort: number;
  /** How the server that holds the port can answer instead ("let it serve the challenges (…)"). */
  readonly shareHint: string;
}

const HTTP01_RESPONDER: ResponderDescription = {
  name: 'HTTP-01 responder',
  caPort: 80,
  shareHint: 'let it serve the challenges (webroot mode or the request handler)',
};

/** Turns a `listen` failure into a {@link Http01ListenError} that says what to do. */
export function toListenError(
  error: unknown,
  host: string,
  port: number,
  responder: ResponderDescription = HTTP01_RESPONDER,
): Http01ListenError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const what = `The ${responder.name} cannot listen on ${where}`;
  switch (code) {
    case 'EADDRINUSE':
      return new Http01ListenError(
        'address-in-use',
        host,
        port,
        `${what}: the port is already in use by another process (EADDRINUSE).`,
        `Stop the other server for the duration, or ${responder.shareHint}, or listen on a free port that ` +
          `port ${responder.caPort} is forwarded to.`,
        error,
      );
    case 'EACCES':
      return new Http01ListenError(
        'permission-denied',
        host,
        port,
        `${what}: ports below 1024 need privileges this process does not have (EACCES).`,
        "Grant CAP_NET_BIND_SERVICE (for example systemd's AmbientCapabilities), or listen on a port >= 1024 " +
          `and forward port ${responder.caPort} to it.`,
        error,
      );
    case 'EADDRNOTAVAIL':
      return new Http01ListenError(
        'address-not-available',
        host,
        port,
        `${what}: the address is not assigned to any interface of this machine (EADDRNOTAVAIL).`,
        'Use a local address, or omit host to listen on all addresses.',
        error,
      );
    default:
      return new Http01ListenError(
        'other',
        host,
        port,
        `${what}: ${code ?? (error instanceof Error ? error.message : String(error))}.`,
        'Check the host and port options.',
        error,
      );
  }
}

/**
 * The busy-port error of a responder that held the port lock of every run sharing its store: the port is held by
 * another program (a web server, a stray process), not by a certkeeper run waiting its turn. Names the port and
 * what to change (`portOption`, such as `--http-listen <host:port>`).
 */
export function foreignPortError(error: Http01ListenError, portOption?: string): Http01ListenError {
  const where = `${error.host.includes(':') ? `[${error.host}]` : error.host}:${error.port}`;
  return new Http01ListenError(
    'address-in-use',
    error.host,
    error.port,
    // The flag is in the message itself: a failed outcome's reason keeps only the first line.
    `The HTTP-01 responder cannot listen on ${where}: port ${error.port} is held by another program, not by a certkeeper run on this store (EADDRINUSE); nothing was ordered. Stop that program, or listen on another port${portOption ? ` (${portOption})` : ''}.`,
    'Stop that program for the duration, let it serve the challenges (--http-webroot <dir>), or listen on a free port that port 80 is forwarded to.',
    error.cause,
  );
}
