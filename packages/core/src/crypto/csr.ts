import { sign } from 'node:crypto';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';
import type { Identifier } from '../identifiers/identifier.js';
import { formatIdentifier } from '../identifiers/identifier.js';
import { readIpLiteral } from '../identifiers/ip-literal.js';
import type { CertificateKey } from './certificate-key.js';
import { encodePem } from './pem.js';
import { asn1, loadAsn1, loadX509 } from './x509.js';

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
  // Built with asn1-csr and signed by node:crypto: the request @peculiar/x509's Pkcs10CertificateRequestGenerator
  // made (the same CertificationRequestInfo bytes, algorithm and signature encoding; csr.spec.ts compares them) at
  // a quarter of its cost, without WebCrypto key imports and x509's parse of its own result (issue 13).
  const { schema, x509: asn, csr: asnCsr } = await loadAsn1();
  const ec = key.type === 'ec256' || key.type === 'ec384';
  const subject = await csrSubject(commonName);
  const subjectAltName = new asn.SubjectAlternativeName(
    identifiers.map(
      (id) => new asn.GeneralName(id.type === 'ip' ? { iPAddress: id.value } : { dNSName: id.value }),
    ),
  );
  const extensionRequest = new asn.Attribute({
    type: '1.2.840.113549.1.9.14', // PKCS #9 extensionRequest
    values: [
      schema.AsnConvert.serialize(
        new asn.Extensions([
          new asn.Extension({
            extnID: asn.id_ce_subjectAltName,
            critical: false,
            extnValue: new schema.OctetString(schema.AsnConvert.serialize(subjectAltName)),
          }),
        ]),
      ),
    ],
  });
  const info = new asnCsr.CertificationRequestInfo({
    subject,
    subjectPKInfo: schema.AsnConvert.parse(
      key.publicKey.export({ type: 'spki', format: 'der' }),
      asn.SubjectPublicKeyInfo,
    ),
    attributes: new asnCsr.Attributes([extensionRequest]),
  });
  // SHA-256 for every key type; ECDSA's signature as a DER Ecdsa-Sig-Value, as x509 converted WebCrypto's.
  const signature = sign(
    'sha256',
    new Uint8Array(schema.AsnConvert.serialize(info)),
    ec ? { key: key.privateKey, dsaEncoding: 'der' } : key.privateKey,
  );
  const request = new asnCsr.CertificationRequest({
    certificationRequestInfo: info,
    signatureAlgorithm: new asn.AlgorithmIdentifier(
      ec
        ? { algorithm: '1.2.840.10045.4.3.2' } // ecdsa-with-SHA256, no parameters (RFC 5758 §3.2)
        : { algorithm: '1.2.840.113549.1.1.11', parameters: null }, // sha256WithRSAEncryption, NULL
    ),
    signature: new Uint8Array(signature).buffer,
  });
  const der = new Uint8Array(schema.AsnConvert.serialize(request));
  // x509 wrote its PEM without a final newline.
  return { der, pem: encodePem(der, 'CERTIFICATE REQUEST').replace(/\n$/, '') };
}

/** Characters of an ASN.1 PrintableString (X.680 §41.4), as @peculiar/x509 tests them. */
const PRINTABLE = /^[A-Za-z0-9 '()+,-./:=?]*$/;

/**
 * The subject x509's generator wrote for `[{ CN: [commonName] }]`: no attribute without a CN, else the CN as a
 * PrintableString when it can be one, otherwise a UTF8String. A CN x509 would read as escaped or quoted text (a
 * backslash or quote in it) or as "#hex" is written by x509 itself, which is loaded for it.
 */
async function csrSubject(commonName: string | undefined) {
  const { schema, x509: asn } = asn1();
  if (commonName === undefined) return new asn.Name([]);
  if (/["\\]|^#/.test(commonName)) {
    const x509 = await loadX509();
    return schema.AsnConvert.parse(new x509.Name([{ CN: [commonName] }]).toArrayBuffer(), asn.Name);
  }
  const value = new asn.AttributeValue(
    PRINTABLE.test(commonName) ? { printableString: commonName } : { utf8String: commonName },
  );
  return new asn.Name([
    new asn.RelativeDistinguishedName([new asn.AttributeTypeAndValue({ type: '2.5.4.3', value })]),
  ]);
}
