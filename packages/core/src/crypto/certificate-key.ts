import { createPublicKey, generateKeyPair, KeyObject, type webcrypto } from 'node:crypto';
import { promisify } from 'node:util';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';
import {
  CERTIFICATE_KEY_TYPES,
  type CertificateKeyType,
  DEFAULT_CERTIFICATE_KEY_TYPE,
  describeKey,
  isCertificateKeyType,
} from './key-types.js';
import { readPrivateKeyPem } from './private-key-pem.js';

const generateKeyPairAsync = promisify(generateKeyPair);

/** A certificate's key pair and its type. The private key is a secret: never log or serialise it. */
export interface CertificateKey {
  readonly type: CertificateKeyType;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/**
 * Generates a new certificate key, off the main thread (Node runs key generation in its thread pool).
 * Measured on a 2-core machine: ECDSA about 1 ms; RSA 2048 about 0.25 s, RSA 4096 1.5 s median (up to 4 s).
 *
 * @throws {CertkeeperError} `CERTKEEPER_ERR_INVALID_OPTION` for a type outside {@link CERTIFICATE_KEY_TYPES}.
 */
export async function generateCertificateKey(
  type: CertificateKeyType = DEFAULT_CERTIFICATE_KEY_TYPE,
): Promise<CertificateKey> {
  if (!isCertificateKeyType(type)) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_OPTION,
      `Unknown certificate key type ${JSON.stringify(type)}.`,
      {
        hint: `use one of ${CERTIFICATE_KEY_TYPES.join(', ')} (default ${DEFAULT_CERTIFICATE_KEY_TYPE}).`,
      },
    );
  }
  const { privateKey, publicKey } = type.startsWith('ec')
    ? await generateKeyPairAsync('ec', { namedCurve: type === 'ec256' ? 'P-256' : 'P-384' })
    : await generateKeyPairAsync('rsa', { modulusLength: Number(type.slice(3)), publicExponent: 0x10001 });
  return { type, privateKey, publicKey };
}

/**
 * Imports a certificate key from PEM (PKCS#8, SEC1 "EC PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY") and detects
 * its type.
 *
 * @throws {CertkeeperError} `CERTKEEPER_ERR_INVALID_KEY` when the PEM holds no readable private key, or the key
 *   is not a supported type (RSA other than 2048/3072/4096 bits, P-521, Ed25519, ...).
 */
export function importCertificateKey(pem: string): CertificateKey {
  const privateKey = readPrivateKeyPem(pem, 'certificate key');
  return { type: certificateKeyTypeOf(privateKey), privateKey, publicKey: createPublicKey(privateKey) };
}

/**
 * The {@link CertificateKeyType} of a private or public key.
 *
 * @throws {CertkeeperError} `CERTKEEPER_ERR_INVALID_KEY` naming the key's actual kind when it is not supported.
 */
export function certificateKeyTypeOf(key: KeyObject): CertificateKeyType {
  const description = describeKey(key);
  if (description.certificateKeyType !== undefined) return description.certificateKeyType;
  throw new CertkeeperError(
    ErrorCodes.INVALID_KEY,
    `The certificate key is ${description.text}, which CAs such as Let's Encrypt do not accept.`,
    { hint: 'use an ECDSA P-256/P-384 or RSA 2048/3072/4096 key, or let certkeeper generate one (ec256).' },
  );
}

/**
 * Exports the private key of a certificate or account key as unencrypted PKCS#8 PEM. The result is a secret:
 * write it with mode 0600 and never log it.
 */
export function exportPrivateKeyPem(key: { readonly privateKey: KeyObject | webcrypto.CryptoKey }): string {
  const keyObject = key.privateKey instanceof KeyObject ? key.privateKey : KeyObject.from(key.privateKey);
  return keyObject.export({ type: 'pkcs8', format: 'pem' }).toString();
}
