import { randomBytes } from 'node:crypto';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';
import { formatIdentifier, type Identifier } from '../identifiers/identifier.js';
import { readIpLiteral } from '../identifiers/ip-literal.js';
import { tlsAlpnDigest } from '../resources/challenges.js';
import { exportPrivateKeyPem, generateCertificateKey } from './certificate-key.js';
import { toWebCryptoSigner } from './webcrypto-key-pair.js';
import { x509 } from './x509.js';

/** RFC 8737 §3: id-pe-acmeIdentifier, the extension that carries SHA-256(key authorization). */
export const ACME_IDENTIFIER_OID = '1.3.6.1.5.5.7.1.31';

/** A tls-alpn-01 challenge certificate and its ephemeral key (a secret: never log it). */
export interface TlsAlpn01Certificate {
  readonly certificatePem: string;
  readonly privateKeyPem: string;
}

/**
 * Creates the self-signed certificate a tls-alpn-01 responder presents (RFC 8737 §3, RFC 8738 §6):
 * - a fresh ECDSA P-256 key for every challenge (nothing else is ever signed with it);
 * - exactly one subjectAltName: the dNSName, or for an `ip` identifier the iPAddress;
 * - the critical acmeIdentifier extension whose value is the DER OCTET STRING of SHA-256(keyAuthorization).
 * Valid from an hour ago (clock skew at the CA) for 7 days; a CA only reads it during validation.
 *
 * @throws {CertkeeperError} `CERTKEEPER_ERR_INVALID_OPTION` for a wildcard (tls-alpn-01 cannot prove one) or an
 *   `ip` identifier that is not an IP address.
 */
export async function createTlsAlpn01Certificate(options: {
  readonly identifier: Identifier;
  readonly keyAuthorization: string;
}): Promise<TlsAlpn01Certificate> {
  const { identifier, keyAuthorization } = options;
  const ip = identifier.type === 'ip' ? readIpLiteral(identifier.value) : undefined;
  if (identifier.value.startsWith('*.') || (ip && !ip.ok)) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_OPTION,
      `Cannot create a tls-alpn-01 certificate for ${formatIdentifier(identifier)}: ${ip ? 'not an IP address' : 'a wildcard can only be proven with dns-01'}.`,
      {
        hint: 'Pass the base identifier of a non-wildcard authorization, as the engine gives it in a ChallengeTask.',
      },
    );
  }
  const key = await generateCertificateKey('ec256');
  const signer = await toWebCryptoSigner(key);
  const lib = x509();
  // extnValue holds Authorization ::= OCTET STRING (SIZE (32)): the DER tag 0x04, length 0x20, then the digest.
  const authorization = Buffer.concat([Buffer.from([0x04, 0x20]), tlsAlpnDigest(keyAuthorization)]);
  const now = Date.now();
  const certificate = await lib.X509CertificateGenerator.createSelfSigned({
    // A positive 16-byte serial (top bit cleared), as RFC 5280 §4.1.2.2 asks.
    serialNumber: `01${randomBytes(15).toString('hex')}`,
    name: [],
    notBefore: new Date(now - 3_600_000),
    notAfter: new Date(now + 7 * 86_400_000),
    keys: signer.keys,
    signingAlgorithm: signer.signingAlgorithm,
    extensions: [
      new lib.SubjectAlternativeNameExtension([
        ip?.ok ? { type: lib.IP, value: ip.value } : { type: lib.DNS, value: identifier.value },
      ]),
      new lib.Extension(ACME_IDENTIFIER_OID, true, authorization),
    ],
  });
  return { certificatePem: certificate.toString('pem'), privateKeyPem: exportPrivateKeyPem(key) };
}
