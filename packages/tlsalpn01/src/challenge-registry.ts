import { createSecureContext, type SecureContext } from 'node:tls';
import { createTlsAlpn01Certificate, type Identifier } from '@certkeeper/core';
import { assertValidChallengeToken, assertValidKeyAuthorization } from '@certkeeper/http01';
import { challengeServerName, normalizeServerName } from './server-name.js';

/** One published tls-alpn-01 response. */
interface Entry {
  readonly keyAuthorization: string;
  readonly serverName: string;
  readonly context: SecureContext;
}

/**
 * The in-memory table of tls-alpn-01 responses: for each pending identifier, the TLS context that presents its
 * challenge certificate (RFC 8737 §3), looked up by the server name the CA sends. Shared by the standalone
 * responder, the handshake hook and their solvers.
 *
 * Contract:
 * - `set` validates the token and key authorization first, then creates the certificate with a fresh key; it
 *   throws a `CertkeeperError` and stores nothing when either is malformed. Setting a token again with the same
 *   key authorization keeps the existing certificate (publishing is idempotent).
 * - `secureContext` never throws: an unknown name yields `undefined`, which responders turn into a refusal.
 * - When two orders validate one name at once, the response published last is presented (the CA checks one
 *   challenge at a time; the other order's validation fails, as it would with any other client).
 * - It lives in one process: every process that can receive the CA's connection must see the same entries.
 */
export class TlsAlpn01ChallengeRegistry {
  readonly #byToken = new Map<string, Entry>();

  /** Publishes the challenge certificate of `identifier` for `token`. */
  async set(identifier: Identifier, token: string, keyAuthorization: string): Promise<void> {
    assertValidChallengeToken(token, 'tls-alpn-01 challenge');
    assertValidKeyAuthorization(token, keyAuthorization, 'tls-alpn-01');
    const serverName = challengeServerName(identifier);
    const existing = this.#byToken.get(token);
    if (existing?.keyAuthorization === keyAuthorization && existing.serverName === serverName) return;
    const { certificatePem, privateKeyPem } = await createTlsAlpn01Certificate({
      identifier,
      keyAuthorization,
    });
    // Re-inserting moves the entry last, so it wins a lookup by name.
    this.#byToken.delete(token);
    this.#byToken.set(token, {
      keyAuthorization,
      serverName,
      context: createSecureContext({ cert: certificatePem, key: privateKeyPem, minVersion: 'TLSv1.2' }),
    });
  }

  /** The context presenting the challenge certificate for `serverName` (an SNI value), if one is pending. */
  secureContext(serverName: string | false | null | undefined): SecureContext | undefined {
    if (!serverName) return undefined;
    const wanted = normalizeServerName(serverName);
    let found: Entry | undefined;
    for (const entry of this.#byToken.values()) if (entry.serverName === wanted) found = entry;
    return found?.context;
  }

  /** Whether a response is pending for `serverName`. */
  has(serverName: string | false | null | undefined): boolean {
    return this.secureContext(serverName) !== undefined;
  }

  /** Removes `token`; returns whether it was present. Removing an unknown token is not an error. */
  delete(token: string): boolean {
    return this.#byToken.delete(token);
  }

  /** How many responses are published. */
  get size(): number {
    return this.#byToken.size;
  }
}
