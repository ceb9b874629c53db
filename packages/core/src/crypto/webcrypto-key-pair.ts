import { webcrypto } from 'node:crypto';
import type { CertificateKey } from './certificate-key.js';

/** What @peculiar/x509 signs with: the WebCrypto form of a key pair and the matching signature algorithm. */
export interface WebCryptoSigner {
  readonly keys: webcrypto.CryptoKeyPair;
  /** SHA-256 for every key type: what CAs expect on a CSR (RFC 8555 §7.4 defers to their policy). */
  readonly signingAlgorithm: webcrypto.EcdsaParams | webcrypto.Algorithm;
}

/**
 * Converts a certificate key (node:crypto KeyObjects) to a WebCrypto key pair for signing with SHA-256:
 * ECDSA for EC keys, RSASSA-PKCS1-v1_5 for RSA keys. The private CryptoKey is not extractable.
 */
export async function toWebCryptoSigner(key: CertificateKey): Promise<WebCryptoSigner> {
  const ec = key.type === 'ec256' || key.type === 'ec384';
  const algorithm = ec
    ? { name: 'ECDSA', namedCurve: key.type === 'ec256' ? 'P-256' : 'P-384' }
    : { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
  const pkcs8 = key.privateKey.export({ type: 'pkcs8', format: 'der' });
  const spki = key.publicKey.export({ type: 'spki', format: 'der' });
  const [privateKey, publicKey] = await Promise.all([
    webcrypto.subtle.importKey('pkcs8', pkcs8, algorithm, false, ['sign']),
    webcrypto.subtle.importKey('spki', spki, algorithm, true, ['verify']),
  ]);
  return {
    keys: { privateKey, publicKey },
    signingAlgorithm: ec ? { name: 'ECDSA', hash: 'SHA-256' } : { name: 'RSASSA-PKCS1-v1_5' },
  };
}
