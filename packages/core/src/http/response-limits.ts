/**
 * What a response is read as, so its body gets a cap fit for it. Every figure is many times the largest answer a
 * real CA sends for that resource, and small enough that a hostile or broken CA cannot make certkeeper buffer more:
 * an endless directory body was once read to 8 GiB of memory.
 */
export type AcmeResource =
  | 'directory'
  | 'nonce'
  | 'account'
  | 'order'
  | 'authorization'
  | 'challenge'
  | 'certificate'
  | 'renewalInfo'
  | 'revocation';

const KiB = 1024;

/**
 * Body caps in bytes, by resource (documented in packages/core/README.md):
 * - directory 64 KiB (Let's Encrypt's is about 1 KiB, profiles included);
 * - nonce 4 KiB (HEAD newNonce has no body at all);
 * - account, authorization, challenge 64 KiB each (about 1 KiB in practice);
 * - order 256 KiB (100 identifiers and 100 authorization URLs come to about 15 KiB);
 * - certificate 256 KiB (a PEM chain with a 100-name leaf and two intermediates is about 12 KiB);
 * - renewalInfo 16 KiB (a window and an explanation URL);
 * - revocation 16 KiB (an empty 200);
 * - problem 64 KiB, for any error status whatever was asked (a compound problem with 100 subproblems is about 30 KiB).
 */
export const RESPONSE_BODY_LIMITS: Readonly<Record<AcmeResource | 'problem', number>> = {
  directory: 64 * KiB,
  nonce: 4 * KiB,
  account: 64 * KiB,
  order: 256 * KiB,
  authorization: 64 * KiB,
  challenge: 64 * KiB,
  certificate: 256 * KiB,
  renewalInfo: 16 * KiB,
  revocation: 16 * KiB,
  problem: 64 * KiB,
};

/** The cap for a response to a request for `resource` that came back with `status`, and what it was read as. */
export function bodyLimitFor(
  resource: AcmeResource,
  status: number,
): { readonly resource: AcmeResource | 'problem'; readonly bytes: number } {
  const as = status >= 400 ? 'problem' : resource;
  return { resource: as, bytes: RESPONSE_BODY_LIMITS[as] };
}

/**
 * The total time one request may take, connect + headers + body (default 60 s). Not an idle timeout: a CA sending one
 * byte every 20 s never trips an idle timeout, and once held a run forever.
 */
export const DEFAULT_REQUEST_DEADLINE_MS = 60_000;
