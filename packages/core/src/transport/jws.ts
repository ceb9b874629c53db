import { type FlattenedJWS, FlattenedSign, type JWK } from 'jose';
import type { AccountKey } from '../crypto/account-key.js';

export interface SignRequestInput {
  readonly key: AccountKey;
  readonly url: string;
  readonly nonce: string;
  /** `''` signs an empty payload: POST-as-GET (RFC 8555 §6.3). `{}` is a different, non-empty payload. */
  readonly payload: unknown;
  /** The account URL; when absent the public JWK is embedded instead (newAccount, revocation by cert key). */
  readonly kid?: string;
}

const encoder = new TextEncoder();

export function encodePayload(payload: unknown): Uint8Array {
  return payload === '' ? new Uint8Array(0) : encoder.encode(JSON.stringify(payload));
}

/** Sign one ACME request as a flattened JWS (RFC 8555 §6.2). */
export async function signRequest(input: SignRequestInput): Promise<FlattenedJWS> {
  const header: { alg: string; nonce: string; url: string; kid?: string; jwk?: JWK } = {
    alg: input.key.alg,
    nonce: input.nonce,
    url: input.url,
  };
  if (input.kid) header.kid = input.kid;
  else header.jwk = { ...input.key.publicJwk };
  return new FlattenedSign(encodePayload(input.payload))
    .setProtectedHeader(header)
    .sign(input.key.privateKey);
}
