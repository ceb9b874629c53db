import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';
import type { Identifier } from '../identifiers/identifier.js';
import { formatIdentifier } from '../identifiers/identifier.js';
import { readIpLiteral } from '../identifiers/ip-literal.js';
import type { CertificateKey } from './certificate-key.js';
import { toWebCryptoSigner } from './webcrypto-key-pair.js';
import { loadX509 } from './x509.js';

/** RFC 5280 ub-common-name: a longer first name cannot be the CN, and the subject stays empty. */
const MAX_COMMON_NAME = 64;

/** A DER PKCS#10 request and its PEM form. */
export interface Csr {
  readonly der: Uint8Array;
  readonly pem: string;
}

/**
 * Creates the CSR for an ACME finalize request (RFC 8555 §7.4): every identifier as a subjectAltName (dNSName
 * or iPAddress, in the given order), CN set to the first DNS name when it fits in 64 characters (otherwise an
 * empty subject: CAs take the names from the SANs), signed with SHA-256 (ECDSA, or RSA PKCS#1 v1.5).
 *
 * @throws {CertkeeperError} `CERTKEEPER_ERR_INVALID_CSR` when there are no identifiers or an `ip` value is not
 *   an IP address.
 */
export async function createCsr(options: {
  readonly identifiers: readonly Identifier[];
  readonly key: CertificateKey;
}): Promise<Csr> {
  const { identifiers, key } = options;
  const badIps = identifiers.filter((id) => id.type === 'ip' && !readIpLiteral(id.value).ok);
  if (identifiers.length === 0 || badIps.length > 0) {
    const what =
      identifiers.length === 0
        ? 'no identifiers were given'
        : `not IP addresses: ${badIps.map(formatIdentifier).join(', ')}`;
    throw new CertkeeperError(ErrorCodes.INVALID_CSR, `Cannot create a CSR: ${what}.`, {
      hint: 'pass the identifiers returned by parseIdentifiers().',
    });
  }
  const firstDns = identifiers.find((id) => id.type === 'dns')?.value;
  const commonName = firstDns !== undefined && firstDns.length <= MAX_COMMON_NAME ? firstDns : undefined;
  const signer = await toWebCryptoSigner(key);
  const x509 = await loadX509();
  const csr = await x509.Pkcs10CertificateRequestGenerator.create({
    name: commonName !== undefined ? [{ CN: [commonName] }] : [],
    keys: signer.keys,
    signingAlgorithm: signer.signingAlgorithm,
    extensions: [
      new x509.SubjectAlternativeNameExtension(
        identifiers.map((id) => ({ type: id.type === 'ip' ? x509.IP : x509.DNS, value: id.value })),
      ),
    ],
  });
  return { der: new Uint8Array(csr.rawData), pem: csr.toString('pem') };
}
