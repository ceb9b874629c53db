import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';
import type { ParsedCertificate } from './certificate.js';

/**
 * The RFC 9773 §4.1 certificate identifier: base64url(AKI keyIdentifier) "." base64url(serial DER content
 * octets, including the leading 0x00 of a serial whose high bit is set), without padding. It names the
 * certificate in `GET renewalInfo/<id>` and in newOrder's `replaces`.
 *
 * @throws {CertkeeperError} `CERTKEEPER_ERR_INVALID_CERTIFICATE` when the certificate has no Authority Key
 *   Identifier keyIdentifier (RFC 9773 assumes RFC 5280 certificates, which always carry one).
 */
export function ariCertificateId(
  cert: Pick<ParsedCertificate, 'authorityKeyIdentifierHex' | 'serialNumberHex'>,
): string {
  const aki = cert.authorityKeyIdentifierHex;
  if (aki === undefined || aki.length === 0 || cert.serialNumberHex.length === 0) {
    throw new CertkeeperError(
      ErrorCodes.INVALID_CERTIFICATE,
      'The certificate has no Authority Key Identifier keyIdentifier, so it has no ARI identifier (RFC 9773 §4.1).',
      {
        hint: 'renew it on the lifetime-based schedule; ARI and `replaces` do not apply to this certificate.',
      },
    );
  }
  const encode = (hex: string) => Buffer.from(hex, 'hex').toString('base64url');
  return `${encode(aki)}.${encode(cert.serialNumberHex)}`;
}
