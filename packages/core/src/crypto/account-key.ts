import { createPrivateKey, generateKeyPair, type JsonWebKey, KeyObject, type webcrypto } from 'node:crypto';
import { promisify } from 'node:util';
import type { JWK } from 'jose';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';
import { describeKey } from './key-types.js';
import { readPrivateKeyPem } from './private-key-pem.js';
import { jwkThumbprint, type PublicJwk, publicJwkOf } from './public-jwk.js';

const generateKeyPairAsync = promisify(generateKeyPair);

/** JWS algorithms an account key signs with (RFC 7518 §3.1); the ones every ACME CA accepts. */
export type AccountKeyAlgorithm = 'ES256' | 'ES384' | 'RS256';

export const ACCOUNT_KEY_ALGORITHMS: readonly AccountKeyAlgorithm[] = ['ES256', 'ES384', 'RS256'];

export const DEFAULT_ACCOUNT_KEY_ALGORITHM: AccountKeyAlgorithm = 'ES256';

/** RSA account keys below this are refused by CAs (and by RFC 7518 §3.3 for RS256). */
const MIN_RSA_BITS = 2048;

/**
 * An ACME account key, ready for the transport to sign requests with (RFC 8555 §6.2).
 *
 * - `alg` is the JWS `alg` header value the key MUST be used with.
 * - `privateKey` signs; it is a secret and MUST NOT be logged or serialised (a `KeyObject` prints no key
 *   material and `JSON.stringify` renders it as `{}`). Keys made here are `KeyObject`s; a `CryptoKey` works
 *   too with jose's signing functions.
 * - `publicJwk` is what goes into the `jwk` header of newAccount and keyChange requests: the RFC 7638
 *   required members only.
 * - `thumbprint` is base64url(SHA-256) of `publicJwk` per RFC 7638, used in key authorizations (RFC 8555 §8.1).
 *
 * The object is immutable; rolling the key (keyChange) means making a new AccountKey.
 */
export interface AccountKey {
  readonly alg: AccountKeyAlgorithm;
  readonly privateKey: webcrypto.CryptoKey | KeyObject;
  readonly publicJwk: PublicJwk;
  readonly thumbprint: string;
}

/** Options for {@link generateAccountKey}. */
export interface GenerateAccountKeyOptions {
  /** RS256 only: modulus size in bits. Default 2048; MUST be at least 2048. */
  readonly rsaModulusLength?: number;
}

/**
 * Generates a new account key. ES256 (P-256) is the default: the smallest signatures and fastest to make.
 *
 * @throws {CertkeeperError} `CERTKEEPER_ERR_INVALID_OPTION` for an unknown algorithm or an RSA size below 2048.
 */
export async function generateAccountKey(
  alg: AccountKeyAlgorithm = DEFAULT_ACCOUNT_KEY_ALGORITHM,
  options: GenerateAccountKeyOptions = {},
): Promise<AccountKey> {
  const bits = options.rsaModulusLength ?? MIN_RSA_BITS;
  if (
    !ACCOUNT_KEY_ALGORITHMS.includes(alg) ||
    (alg === 'RS256' && !(Number.isInteger(bits) && bits >= MIN_RSA_BITS))
  ) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_OPTION,
      `Cannot generate an account key with algorithm ${JSON.stringify(alg)} and RSA size ${String(bits)}.`,
      { hint: `use one of ${ACCOUNT_KEY_ALGORITHMS.join(', ')}; RS256 needs at least ${MIN_RSA_BITS} bits.` },
    );
  }
  const { privateKey } =
    alg === 'RS256'
      ? await generateKeyPairAsync('rsa', { modulusLength: bits, publicExponent: 0x10001 })
      : await generateKeyPairAsync('ec', { namedCurve: alg === 'ES256' ? 'P-256' : 'P-384' });
  return accountKeyFromPrivateKey(privateKey);
}

/**
 * Imports an account key from PEM (PKCS#8, SEC1 or PKCS#1) or from a private JWK (an object or its JSON text),
 * for example one exported by certbot or another ACME client.
 *
 * @throws {CertkeeperError} `CERTKEEPER_ERR_INVALID_KEY` when it is not a readable private key of a supported kind.
 */
export async function importAccountKey(input: string | JWK): Promise<AccountKey> {
  if (typeof input === 'string' && !input.trimStart().startsWith('{')) {
    return accountKeyFromPrivateKey(readPrivateKeyPem(input, 'account key'));
  }
  return accountKeyFromPrivateKey(readPrivateJwk(input));
}

/**
 * Builds an {@link AccountKey} around an existing private key (EC P-256/P-384, or RSA of 2048 bits or more).
 *
 * @throws {CertkeeperError} `CERTKEEPER_ERR_INVALID_KEY` for any other key.
 */
export async function accountKeyFromPrivateKey(
  privateKey: KeyObject | webcrypto.CryptoKey,
): Promise<AccountKey> {
  const keyObject = privateKey instanceof KeyObject ? privateKey : KeyObject.from(privateKey);
  if (keyObject.type !== 'private') {
    throw new CertkeeperError(
      ErrorCodes.INVALID_KEY,
      `The account key is a ${keyObject.type} key, not a private key.`,
      {
        hint: 'give the private key; the public key is derived from it.',
      },
    );
  }
  const alg = jwsAlgorithmOf(keyObject);
  const publicJwk = publicJwkOf(keyObject);
  return { alg, privateKey, publicJwk, thumbprint: await jwkThumbprint(publicJwk) };
}

/**
 * The JWS `alg` an account key signs with: ES256 for P-256, ES384 for P-384, RS256 for RSA ≥ 2048 bits.
 *
 * @throws {CertkeeperError} `CERTKEEPER_ERR_INVALID_KEY` for other keys (P-521, Ed25519, small RSA, ...).
 */
export function jwsAlgorithmOf(key: KeyObject | webcrypto.CryptoKey): AccountKeyAlgorithm {
  const description = describeKey(key instanceof KeyObject ? key : KeyObject.from(key));
  if (description.curve === 'P-256') return 'ES256';
  if (description.curve === 'P-384') return 'ES384';
  if (description.family === 'rsa' && (description.modulusLength ?? 0) >= MIN_RSA_BITS) return 'RS256';
  throw new CertkeeperError(
    ErrorCodes.INVALID_KEY,
    `The account key is ${description.text}, which ACME CAs do not accept for accounts.`,
    { hint: 'use an ECDSA P-256 (ES256, the default), P-384 (ES384) or RSA 2048+ (RS256) key.' },
  );
}

/** The private key as a JWK (with `d`): a secret, for storing the key in JWK form. */
export function exportAccountKeyJwk(key: AccountKey): JWK {
  const keyObject = key.privateKey instanceof KeyObject ? key.privateKey : KeyObject.from(key.privateKey);
  return keyObject.export({ format: 'jwk' }) as JWK;
}

function readPrivateJwk(input: string | JWK): KeyObject {
  let jwk: JWK;
  try {
    jwk = typeof input === 'string' ? (JSON.parse(input) as JWK) : input;
  } catch {
    // No `cause`: V8's JSON.parse message quotes the input, and this input is a private key.
    throw new CertkeeperError(ErrorCodes.INVALID_KEY, 'The account key looks like JSON but does not parse.', {
      hint: 'give a PEM private key or a private JWK object.',
    });
  }
  if (typeof jwk !== 'object' || jwk === null || typeof jwk.d !== 'string') {
    throw new CertkeeperError(ErrorCodes.INVALID_KEY, 'The account key JWK has no private part ("d").', {
      hint: 'give the private JWK, not the public one.',
    });
  }
  try {
    return createPrivateKey({ key: jwk as JsonWebKey, format: 'jwk' });
  } catch (cause) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_KEY,
      `The account key JWK (kty ${String(jwk.kty)}) is not valid.`,
      {
        hint: 'give an EC P-256/P-384 or RSA private JWK.',
        cause,
      },
    );
  }
}
