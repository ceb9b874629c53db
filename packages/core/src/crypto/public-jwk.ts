import { createPublicKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';

/** An EC public key as a JWK with only the RFC 7638 §3.2 required members, in lexicographic order. */
export interface EcPublicJwk {
  readonly crv: 'P-256' | 'P-384';
  readonly kty: 'EC';
  readonly x: string;
  readonly y: string;
}

/** An RSA public key as a JWK with only the RFC 7638 §3.2 required members, in lexicographic order. */
export interface RsaPublicJwk {
  readonly e: string;
  readonly kty: 'RSA';
  readonly n: string;
}

/** The account's public key as it goes into a JWS `jwk` header (RFC 8555 §6.2) and into thumbprints. */
export type PublicJwk = EcPublicJwk | RsaPublicJwk;

/**
 * The canonical public JWK of an EC (P-256/P-384) or RSA key, private or public. Members beyond the RFC 7638
 * required ones (`alg`, `use`, `kid`, ...) are left out, so the JWK a CA sees and the thumbprint agree.
 *
 * @throws {CertkeeperError} `CERTKEEPER_ERR_INVALID_KEY` for other kinds of key.
 */
export function publicJwkOf(key: KeyObject): PublicJwk {
  const jwk = (key.type === 'public' ? key : createPublicKey(key)).export({ format: 'jwk' });
  if (jwk.kty === 'EC' && (jwk.crv === 'P-256' || jwk.crv === 'P-384') && jwk.x && jwk.y) {
    return { crv: jwk.crv, kty: 'EC', x: jwk.x, y: jwk.y };
  }
  if (jwk.kty === 'RSA' && jwk.e && jwk.n) {
    return { e: jwk.e, kty: 'RSA', n: jwk.n };
  }
  throw new CertkeeperError(
    ErrorCodes.INVALID_KEY,
    `A ${jwk.kty ?? 'non-JWK'} ${jwk.crv ?? ''} key has no ACME JWK.`,
    {
      hint: 'use an ECDSA P-256/P-384 or RSA key.',
    },
  );
}

/**
 * The RFC 7638 JWK thumbprint (SHA-256, base64url, no padding) of a public JWK: the account part of every key
 * authorization (RFC 8555 §8.1).
 */
export function jwkThumbprint(jwk: PublicJwk): Promise<string> {
  return calculateJwkThumbprint({ ...jwk }, 'sha256');
}
