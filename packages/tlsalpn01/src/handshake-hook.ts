import type { SecureContext, TLSSocket } from 'node:tls';
import { ACME_TLS_ALPN_PROTOCOL } from './acme-tls-protocol.js';
import type { TlsAlpn01ChallengeRegistry } from './challenge-registry.js';

/** Node's `SNICallback` option. */
export type SniCallback = (
  serverName: string,
  callback: (error: Error | null, context?: SecureContext) => void,
) => void;

/** Node's `ALPNCallback` option: the protocol to select, or `undefined` to refuse the handshake. */
export type AlpnCallback = (offer: { servername: string; protocols: string[] }) => string | undefined;

/** What the server did before the hook, so normal traffic is answered exactly as before. */
export interface TlsAlpn01HookOptions {
  /** The pending challenges (the one a {@link RegistryTlsAlpn01Solver} publishes into). */
  readonly registry: TlsAlpn01ChallengeRegistry;
  /** The server's own SNI selection; without it, normal handshakes get the server's default `key`/`cert`. */
  readonly SNICallback?: SniCallback;
  /**
   * The server's own ALPN protocols, in preference order: `['http/1.1']` (the default, what
   * `https.createServer` uses) or `['h2', 'http/1.1']` for `http2.createSecureServer({ allowHTTP1: true })`.
   */
  readonly ALPNProtocols?: readonly string[];
  /** The server's own ALPN selection, instead of `ALPNProtocols`. */
  readonly ALPNCallback?: AlpnCallback;
}

/** The two callbacks to give `tls.createServer`/`https.createServer`/`http2.createSecureServer`. */
export interface TlsAlpn01Hook {
  readonly SNICallback: SniCallback;
  readonly ALPNCallback: AlpnCallback;
}

// Per connection: the ALPN offer was acme-tls/1 for a pending name (set by ALPNCallback, read by SNICallback).
const validating = new WeakSet<object>();
// Per connection: SNICallback already chose a certificate (TLS 1.2 runs it before ALPN; TLS 1.3 after).
const certificateChosen = new WeakSet<object>();

/**
 * Lets a running Node TLS/HTTPS server answer tls-alpn-01 on its own port (RFC 8737): a handshake that offers
 * ALPN `acme-tls/1` for the server name of a pending challenge gets the challenge certificate; every other
 * handshake goes to the server's own `SNICallback`/ALPN choice, so normal clients keep the server's certificates
 * during validation.
 *
 * With TLS 1.3 (what CAs use, and Node's default maximum) Node runs ALPN selection before certificate selection,
 * which is what lets one port serve both. Under TLS 1.2 the certificate is chosen first: the hook then refuses an
 * `acme-tls/1` offer (`no_application_protocol`) rather than complete it with the wrong certificate — keep
 * `maxVersion` at its default.
 *
 * Node cannot decline ALPN from a callback: an offer none of whose protocols the server speaks is refused, as it
 * is when `ALPNProtocols` is set. Give the server's protocols in `ALPNProtocols`.
 *
 * @example
 * ```ts
 * const solver = new RegistryTlsAlpn01Solver();
 * https.createServer({ key, cert, ...createTlsAlpn01Hook({ registry: solver.registry }) }, app).listen(443);
 * // and give `solver` to the manager/engine as its tls-alpn-01 solver
 * ```
 */
export function createTlsAlpn01Hook(options: TlsAlpn01HookOptions): TlsAlpn01Hook {
  const { registry } = options;
  const ownProtocols = options.ALPNProtocols ?? ['http/1.1'];
  const ownAlpn: AlpnCallback =
    options.ALPNCallback ??
    // Server preference, as Node's own ALPNProtocols selection.
    (({ protocols }) => ownProtocols.find((protocol) => protocols.includes(protocol)));

  // Node calls both as methods of the connection's TLSSocket: `this` is the per-connection key.
  function SNICallback(this: TLSSocket, serverName: string, callback: Parameters<SniCallback>[1]): void {
    certificateChosen.add(this);
    if (validating.has(this)) {
      const context = registry.secureContext(serverName);
      // The challenge was cleaned up between ALPN and SNI: refuse rather than present a normal certificate.
      if (context) callback(null, context);
      else callback(new Error(`the tls-alpn-01 challenge for ${JSON.stringify(serverName)} is gone`));
    } else if (options.SNICallback) {
      options.SNICallback.call(this, serverName, callback);
    } else {
      callback(null, undefined);
    }
  }

  function ALPNCallback(this: TLSSocket, offer: Parameters<AlpnCallback>[0]): string | undefined {
    if (offer.protocols.includes(ACME_TLS_ALPN_PROTOCOL) && registry.has(offer.servername)) {
      if (certificateChosen.has(this)) return undefined;
      validating.add(this);
      return ACME_TLS_ALPN_PROTOCOL;
    }
    const others = offer.protocols.filter((protocol) => protocol !== ACME_TLS_ALPN_PROTOCOL);
    return ownAlpn.call(this, { servername: offer.servername, protocols: others });
  }

  return { SNICallback: SNICallback as SniCallback, ALPNCallback: ALPNCallback as AlpnCallback };
}
