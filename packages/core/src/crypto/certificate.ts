import { createPublicKey, KeyObject } from 'node:crypto';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';
import { readIpLiteral } from '../identifiers/ip-literal.js';
import type { CertificateKey } from './certificate-key.js';
import { type CertificateKeyType, describeKey } from './key-types.js';
import { certificateKey, nodeCertificate } from './node-certificate.js';
import { encodePem, splitPemChain, toDer } from './pem.js';
import { RecentValues } from './recent-values.js';
import { asn1 } from './x509.js';

/** The facts certkeeper needs from a certificate, as plain data. */
export interface ParsedCertificate {
  /** Strict-form PEM of this one certificate. */
  readonly pem: string;
  readonly der: Uint8Array;
  /** Subject DN as RFC 4514 text, e.g. "CN=example.test" (empty for an empty subject). */
  readonly subject: string;
  readonly issuer: string;
  /** dNSName subjectAltNames, lower case, wildcards as `*.example.test`, in certificate order. */
  readonly names: readonly string[];
  /** iPAddress subjectAltNames in canonical text form (RFC 5952 for IPv6). */
  readonly ipAddresses: readonly string[];
  readonly notBefore: Date;
  readonly notAfter: Date;
  /**
   * Lower-case hex of the serial number's DER content octets: a leading "00" appears when the high bit is set,
   * exactly the bytes RFC 9773 §4.1 encodes into the ARI certificate id.
   */
  readonly serialNumberHex: string;
  /** keyIdentifier of the Authority Key Identifier extension, lower-case hex. */
  readonly authorityKeyIdentifierHex?: string;
  readonly subjectKeyIdentifierHex?: string;
  /** The subject key's type when it is one certkeeper issues for; undefined for others (an Ed25519 root). */
  readonly publicKeyType?: CertificateKeyType;
  /** basicConstraints cA is true: an issuer, not a leaf. */
  readonly isCa: boolean;
}

/**
 * Parses one certificate from DER bytes or PEM text. For a PEM chain this is the first certificate, which in an
 * ACME chain (RFC 8555 §9.1) is the leaf.
 *
 * @throws {CertkeeperError} `CERTKEEPER_ERR_INVALID_CERTIFICATE` when the input is not a readable certificate.
 */
export function parseCertificate(pemOrDer: string | Uint8Array): ParsedCertificate {
  const der =
    typeof pemOrDer === 'string'
      ? toDer(splitPemChain(pemOrDer)[0] ?? '', ['CERTIFICATE'])
      : toDer(pemOrDer, ['CERTIFICATE']);
  return readCertificate(der ?? new Uint8Array(), 'The certificate');
}

/**
 * Parses every certificate of a PEM chain, in order (leaf first in ACME chains).
 *
 * @throws {CertkeeperError} `CERTKEEPER_ERR_INVALID_CERTIFICATE` naming which certificate of the chain failed.
 */
export function parseCertificateChain(pem: string): ParsedCertificate[] {
  const blocks = splitPemChain(pem);
  return blocks.map((block, index) =>
    readCertificate(
      toDer(block, ['CERTIFICATE']) ?? new Uint8Array(),
      `Certificate ${index + 1} of ${blocks.length}`,
    ),
  );
}

/**
 * Whether a certificate was issued for this private key (its subject public key is the key's public half).
 * Use it before installing a downloaded certificate next to a stored key.
 */
export function certificateMatchesKey(
  cert: ParsedCertificate,
  privateKey: CertificateKey | KeyObject,
): boolean {
  const key = privateKey instanceof KeyObject ? privateKey : privateKey.privateKey;
  // Compared as keys (OpenSSL's EVP_PKEY_eq), not as exported SPKI bytes: OpenSSL 3's encoders made two exports
  // the costliest part of checking an issued chain.
  return nodeCertificate(cert.der).publicKey.equals(key.type === 'public' ? key : createPublicKey(key));
}

/** What a certificate's DER says, kept per DER: everything of a {@link ParsedCertificate} but its own bytes. */
type CertificateFacts = Omit<ParsedCertificate, 'der' | 'notBefore' | 'notAfter'> & {
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
};

/**
 * The certificates read most recently, by their DER (base64), oldest first. One issuance reads the same chain
 * several times — its verification, the preferred-chain match, the stored record — and a renewal run reads each
 * certificate's chain anew; each is parsed once while it stays among the last 64 read.
 */
const readCache = new RecentValues<CertificateFacts>(64);

function readCertificate(der: Uint8Array, which: string): ParsedCertificate {
  const facts = readCache.get(certificateKey(der), () => readFacts(der, which));
  // Every caller gets objects of its own: nothing it changes reaches the cache or another caller.
  const { notBeforeMs, notAfterMs, names, ipAddresses, ...rest } = facts;
  return {
    ...rest,
    der,
    names: [...names],
    ipAddresses: [...ipAddresses],
    notBefore: new Date(notBeforeMs),
    notAfter: new Date(notAfterMs),
  };
}

/**
 * One parse of the DER with @peculiar/asn1-x509, then only the four extensions certkeeper reads. The values are
 * those @peculiar/x509's X509Certificate gave (it reads the same ASN.1 objects): the names' text as its `Name`
 * wrote it, SAN values asn1-x509's own GeneralName strings, key identifiers and the serial the hex of their octets. Left
 * out: x509 builds an object for every extension (re-encoding each to parse it again) and re-encodes the subject
 * key — several times the one parse, and the most of certkeeper's certificate reading (issue 13).
 */
function readFacts(der: Uint8Array, which: string): CertificateFacts {
  try {
    const { schema, x509: asn } = asn1();
    // Embedded: asn1js would try every OCTET and BIT STRING's content (signature, key, extension values) as
    // ASN.1 too; the schema reads them as bytes, and the four extensions are parsed below from their own bytes.
    const tbs = schema.AsnConvert.parse(der, asn.Certificate, {
      berOptions: { parseEmbedded: false },
    }).tbsCertificate;
    const extension = (id: string) => tbs.extensions?.find((ext) => ext.extnID === id)?.extnValue;
    const sanValue = extension(asn.id_ce_subjectAltName);
    const akiValue = extension(asn.id_ce_authorityKeyIdentifier);
    const skiValue = extension(asn.id_ce_subjectKeyIdentifier);
    const bcValue = extension(asn.id_ce_basicConstraints);
    const san = sanValue ? schema.AsnConvert.parse(sanValue, asn.SubjectAlternativeName) : [];
    const akiOctets = akiValue
      ? schema.AsnConvert.parse(akiValue, asn.AuthorityKeyIdentifier).keyIdentifier
      : undefined;
    const aki = akiOctets ? hex(akiOctets.buffer) : '';
    const ski = skiValue ? hex(schema.AsnConvert.parse(skiValue, asn.SubjectKeyIdentifier).buffer) : '';
    const publicKeyType = publicKeyTypeOf(der, () => schema.AsnConvert.serialize(tbs.subjectPublicKeyInfo));
    return {
      pem: encodePem(der, 'CERTIFICATE'),
      subject: nameText(tbs.subject),
      issuer: nameText(tbs.issuer),
      names: san.flatMap((name) => (name.dNSName !== undefined ? [name.dNSName.toLowerCase()] : [])),
      ipAddresses: san.flatMap((name) => (name.iPAddress !== undefined ? [canonicalIp(name.iPAddress)] : [])),
      notBeforeMs: tbs.validity.notBefore.getTime().getTime(),
      notAfterMs: tbs.validity.notAfter.getTime().getTime(),
      serialNumberHex: hex(tbs.serialNumber),
      ...(aki ? { authorityKeyIdentifierHex: aki } : {}),
      ...(ski ? { subjectKeyIdentifierHex: ski } : {}),
      ...(publicKeyType ? { publicKeyType } : {}),
      isCa: bcValue ? schema.AsnConvert.parse(bcValue, asn.BasicConstraints).cA : false,
    };
  } catch (cause) {
    const reason =
      der.length === 0 ? 'no certificate was found in the input' : 'it is not a valid X.509 certificate';
    throw new CertkeeperError(ErrorCodes.INVALID_CERTIFICATE, `${which} could not be parsed: ${reason}.`, {
      hint: 'check that this is a complete PEM or DER certificate, or download it again.',
      cause,
    });
  }
}

/** The attribute names @peculiar/x509's Name writes; other types appear as their OID. */
const ATTRIBUTE_NAMES = new Map([
  ['2.5.4.3', 'CN'],
  ['2.5.4.7', 'L'],
  ['2.5.4.8', 'ST'],
  ['2.5.4.10', 'O'],
  ['2.5.4.11', 'OU'],
  ['2.5.4.6', 'C'],
  ['0.9.2342.19200300.100.1.25', 'DC'],
  ['1.2.840.113549.1.9.1', 'E'],
  ['2.5.4.42', 'G'],
  ['2.5.4.43', 'I'],
  ['2.5.4.4', 'SN'],
  ['2.5.4.12', 'T'],
]);

/**
 * A name as text, exactly as @peculiar/x509's `Name.toString()` (X509Certificate.subject) wrote it, so certkeeper
 * reads certificates without loading x509: RDNs in certificate order joined by ", ", multi-valued ones by "+",
 * values asn1-x509's strings with x509's escaping, or "#" and their DER in hex when not a string type x509 reads.
 * certificate-read.spec.ts compares it with x509's on Node's bundled roots and odd names.
 */
function nameText(name: InstanceType<ReturnType<typeof asn1>['x509']['Name']>): string {
  return name
    .map((rdn) =>
      rdn
        .map(({ type, value }) => {
          const text = value.anyValue ? `#${hex(value.anyValue)}` : escapeNameValue(value.toString());
          return `${ATTRIBUTE_NAMES.get(type) ?? type}=${text}`;
        })
        .join('+'),
    )
    .join(', ');
}

/** x509's escaping of a value, as it is (only the first CR, LF or tab becomes \XX). */
function escapeNameValue(value: string): string {
  return value
    .replace(/([,+"\\<>;])/g, '\\$1')
    .replace(/^([ #])/, '\\$1')
    .replace(/([ ]$)/, '\\$1')
    .replace(/([\r\n\t])/, (char) => `\\${Buffer.from(char, 'utf8').toString('hex').toUpperCase()}`);
}

function hex(bytes: ArrayBuffer): string {
  return Buffer.from(bytes).toString('hex');
}

/**
 * The subject key's type, through OpenSSL: from Node's own reading of the certificate (half the cost of
 * re-encoding the parsed key), else from the key's DER.
 */
function publicKeyTypeOf(der: Uint8Array, spki: () => ArrayBuffer): CertificateKeyType | undefined {
  try {
    let key: KeyObject;
    try {
      key = nodeCertificate(der).publicKey;
    } catch {
      key = createPublicKey({ key: Buffer.from(spki()), format: 'der', type: 'spki' });
    }
    return describeKey(key).certificateKeyType;
  } catch {
    return undefined; // An algorithm this OpenSSL cannot load: simply not one of ours.
  }
}

function canonicalIp(value: string): string {
  const ip = readIpLiteral(value);
  return ip.ok ? ip.value : value;
}
