import { assertValidKeyAuthorization } from './key-authorization.js';
import { assertValidChallengeToken, isValidChallengeToken } from './token.js';

/**
 * The in-memory table of challenge responses, token → key authorization, shared by the standalone responder,
 * the request handler and their solvers.
 *
 * Contract:
 * - `set` MUST validate the token (RFC 8555 §8.3 base64url) and the key authorization before storing; it throws
 *   a `CertkeeperError` and stores nothing when either is malformed. Setting an existing token again replaces
 *   its value (publishing is idempotent).
 * - `get` never throws: a malformed or unknown token yields `undefined`, which responders turn into 404.
 * - It lives in one process. Behind a load balancer or in a `node:cluster`, every process that can receive the
 *   CA's request must see the same entries; use the webroot solver there.
 */
export class Http01ChallengeRegistry {
  readonly #responses = new Map<string, string>();

  /** Publishes `keyAuthorization` at `/.well-known/acme-challenge/<token>`. */
  set(token: string, keyAuthorization: string): void {
    assertValidChallengeToken(token);
    assertValidKeyAuthorization(token, keyAuthorization);
    this.#responses.set(token, keyAuthorization);
  }

  /** The key authorization for `token`, or `undefined` when the token is unknown or malformed. */
  get(token: string): string | undefined {
    return isValidChallengeToken(token) ? this.#responses.get(token) : undefined;
  }

  has(token: string): boolean {
    return this.get(token) !== undefined;
  }

  /** Removes `token`; returns whether it was present. Removing an unknown token is not an error. */
  delete(token: string): boolean {
    return this.#responses.delete(token);
  }

  /** How many responses are published. */
  get size(): number {
    return this.#responses.size;
  }
}
