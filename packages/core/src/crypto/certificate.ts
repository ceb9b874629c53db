import { createPublicKey, KeyObject, X509Certificate as NodeX509Certificate } from 'node:crypto';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';
import { readIpLiteral } from '../identifiers/ip-literal.js';
import type { CertificateKey } from './certificate-key.js';
import { type CertificateKeyType, describeKey } from './key-types.js';
import { encodePem, splitPemChain, toDer } from './pem.js';
import { x509 } from './x509.js';

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

/** Exposes the serial's raw DER content octets, which the public getter strips of their sign byte. */
function createCertificateReader() {
  return class CertificateReader extends x509().X509Certificate {
    get serialContentOctets(): Uint8Array {
      return new Uint8Array(this.asn.tbsCertificate.serialNumber);
    }
  };
}
let CertificateReader: ReturnType<typeof createCertificateReader> | undefined;

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
  const certificateSpki = new NodeX509Certificate(cert.der).publicKey.export({ type: 'spki', format: 'der' });
  const keySpki = (key.type === 'public' ? key : createPublicKey(key)).export({
    type: 'spki',
    format: 'der',
  });
  return certificateSpki.equals(keySpki);
}

function readCertificate(der: Uint8Array, which: string): ParsedCertificate {
  try {
    CertificateReader ??= createCertificateReader();
    const cert = new CertificateReader(der);
    const san = cert.getExtension(x509().SubjectAlternativeNameExtension)?.names.items ?? [];
    const aki = cert.getExtension(x509().AuthorityKeyIdentifierExtension)?.keyId;
    const ski = cert.getExtension(x509().SubjectKeyIdentifierExtension)?.keyId;
    const publicKeyType = publicKeyTypeOf(cert.publicKey.rawData);
    return {
      pem: encodePem(der, 'CERTIFICATE'),
      der,
      subject: cert.subject,
      issuer: cert.issuer,
      names: san.filter((name) => name.type === 'dns').map((name) => name.value.toLowerCase()),
      ipAddresses: san.filter((name) => name.type === 'ip').map((name) => canonicalIp(name.value)),
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
      serialNumberHex: Buffer.from(cert.serialContentOctets).toString('hex'),
      ...(aki ? { authorityKeyIdentifierHex: aki.toLowerCase() } : {}),
      ...(ski ? { subjectKeyIdentifierHex: ski.toLowerCase() } : {}),
      ...(publicKeyType ? { publicKeyType } : {}),
      isCa: cert.getExtension(x509().BasicConstraintsExtension)?.ca ?? false,
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

function publicKeyTypeOf(spki: ArrayBuffer): CertificateKeyType | undefined {
  try {
    return describeKey(createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }))
      .certificateKeyType;
  } catch {
    return undefined; // An algorithm this OpenSSL cannot load: simply not one of ours.
  }
}

function canonicalIp(value: string): string {
  const ip = readIpLiteral(value);
  return ip.ok ? ip.value : value;
}
