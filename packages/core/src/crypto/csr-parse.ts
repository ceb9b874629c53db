import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';
import { canonicalIdentifier } from '../identifiers/canonical-identifier.js';
import type { Identifier } from '../identifiers/identifier.js';
import { formatIdentifier } from '../identifiers/identifier.js';
import { looksLikeIpLiteral } from '../identifiers/ip-literal.js';
import { type CertificateKeyType, describeKey } from './key-types.js';
import { toDer } from './pem.js';
import { type X509, x509 } from './x509.js';

const SAN_OID = '2.5.29.17';

/** What certkeeper reads from a CSR. */
export interface ParsedCsr {
  /** Every name the CSR requests: its SANs, plus the CN when no SAN repeats it (RFC 8555 §7.4). */
  readonly identifiers: readonly Identifier[];
  readonly commonName?: string;
  readonly publicKeyType: CertificateKeyType;
  /** The key the certificate must be issued for. */
  readonly publicKey: KeyObject;
  /** SHA-256 of the key's DER SubjectPublicKeyInfo, hex: names the key without holding it. */
  readonly spkiSha256: string;
  /** The CSR itself, DER (what finalize sends). */
  readonly der: Uint8Array;
}

/**
 * Parses a PKCS#10 CSR given as PEM or DER and verifies its self-signature.
 *
 * @throws {CertkeeperError} `CERTKEEPER_ERR_INVALID_CSR` when it is not a CSR, the signature does not verify,
 *   it requests names other than DNS names and IP addresses, or its key is not a supported type.
 */
export async function parseCsr(pemOrDer: string | Uint8Array): Promise<ParsedCsr> {
  const der = toDer(pemOrDer, ['CERTIFICATE REQUEST', 'NEW CERTIFICATE REQUEST']);
  let csr: X509.Pkcs10CertificateRequest;
  let sans: readonly X509.GeneralName[];
  try {
    if (der === undefined) throw new Error('no "CERTIFICATE REQUEST" PEM block');
    csr = new (x509().Pkcs10CertificateRequest)(der);
    const sanExtension = csr.extensions.find((extension) => extension.type === SAN_OID);
    sans = sanExtension ? new (x509().SubjectAlternativeNameExtension)(sanExtension.rawData).names.items : [];
  } catch (cause) {
    throw invalidCsr('it is not a readable PKCS#10 certificate request', cause);
  }
  if (!(await csr.verify())) throw invalidCsr('its signature does not verify (it was altered or is corrupt)');

  const others = sans.filter((name) => name.type !== x509().DNS && name.type !== x509().IP);
  if (others.length > 0) {
    const kinds = [...new Set(others.map((name) => name.type))].join(', ');
    throw invalidCsr(`it requests ${kinds} names; ACME certificates hold only DNS names and IP addresses`);
  }
  const commonName = csr.subjectName.getField('CN')[0];
  const identifiers = uniqueIdentifiers([
    ...sans.map((name) => canonicalIdentifier(name.type === x509().IP ? 'ip' : 'dns', name.value)),
    ...(commonName !== undefined
      ? [canonicalIdentifier(looksLikeIpLiteral(commonName) ? 'ip' : 'dns', commonName)]
      : []),
  ]);
  const publicKey = createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' });
  const key = describeKey(publicKey);
  if (key.certificateKeyType === undefined) {
    throw invalidCsr(`its key is ${key.text}; CAs accept ECDSA P-256/P-384 and RSA 2048/3072/4096 keys`);
  }
  return {
    identifiers,
    ...(commonName !== undefined ? { commonName } : {}),
    publicKeyType: key.certificateKeyType,
    publicKey,
    spkiSha256: createHash('sha256')
      .update(publicKey.export({ type: 'spki', format: 'der' }))
      .digest('hex'),
    der,
  };
}

/**
 * Checks that a CSR requests exactly the order's identifiers (RFC 8555 §7.4: otherwise finalize fails with
 * `badCSR` after the authorizations were already spent). Comparison ignores order and case.
 *
 * @throws {CertkeeperError} `CERTKEEPER_ERR_INVALID_CSR` listing the names missing on each side.
 */
export function assertCsrMatchesIdentifiers(
  csr: Pick<ParsedCsr, 'identifiers'>,
  identifiers: readonly Identifier[],
): void {
  const keyOf = (id: Identifier) => `${id.type}:${canonicalIdentifier(id.type, id.value).value}`;
  const inCsr = new Set(csr.identifiers.map(keyOf));
  const inOrder = new Set(identifiers.map(keyOf));
  const missingFromCsr = identifiers.filter((id) => !inCsr.has(keyOf(id)));
  const missingFromOrder = csr.identifiers.filter((id) => !inOrder.has(keyOf(id)));
  if (missingFromCsr.length === 0 && missingFromOrder.length === 0) return;
  const list = (ids: readonly Identifier[]) =>
    ids.length > 0 ? ids.map(formatIdentifier).join(', ') : 'none';
  throw new CertkeeperError(
    ErrorCodes.INVALID_CSR,
    `The CSR does not request the same names as the order. In the order but not the CSR: ${list(missingFromCsr)}. ` +
      `In the CSR but not the order: ${list(missingFromOrder)}.`,
    { hint: "create the CSR with exactly the order's identifiers, or order exactly the CSR's names." },
  );
}

function uniqueIdentifiers(identifiers: readonly Identifier[]): Identifier[] {
  const seen = new Set<string>();
  return identifiers.filter(
    (id) => !seen.has(`${id.type}:${id.value}`) && seen.add(`${id.type}:${id.value}`),
  );
}

function invalidCsr(reason: string, cause?: unknown): CertkeeperError {
  return new CertkeeperError(ErrorCodes.INVALID_CSR, `The CSR is not usable: ${reason}.`, {
    hint: 'create a new CSR (certkeeper makes one for you when you give no CSR).',
    ...(cause !== undefined ? { cause } : {}),
  });
}
