import { createHash, type KeyObject, type X509Certificate as NodeX509Certificate } from 'node:crypto';
import { canonicalIdentifier } from '../identifiers/canonical-identifier.js';
import { formatIdentifier, type Identifier } from '../identifiers/identifier.js';
import { certificateMatchesKey, type ParsedCertificate, parseCertificateChain } from './certificate.js';
import { describeKey } from './key-types.js';
import { issuedBy, nodeCertificate } from './node-certificate.js';

/** Which property of an issued certificate did not hold. */
export type CertificateCheck = 'key' | 'names' | 'validity' | 'chain' | 'trust';

/** One thing wrong with an issued chain, said so a person can act on it. */
export interface CertificateFinding {
  readonly check: CertificateCheck;
  /** What differed, with the expected and found values. */
  readonly detail: string;
  /** For chain findings: the depth of the certificate whose link broke (0 is the leaf, 1 its issuer, …). */
  readonly depth?: number;
  /** For name findings: the order's identifiers and the certificate's, as `name` or `ip:address`. */
  readonly expected?: readonly string[];
  readonly found?: readonly string[];
}

export interface IssuedChainExpectations {
  /** The order's identifiers: the leaf must name exactly these (case-insensitive, wildcards as ordered). */
  readonly identifiers: readonly Identifier[];
  /** The CSR's public key (or the certificate key's): the leaf must certify it. */
  readonly publicKey: KeyObject;
  readonly now: Date;
  /** How far ahead of our clock the CA's notBefore may be (default 5 min). */
  readonly clockSkewMs?: number;
  /** PEM certificates the chain must end at or under; without any, the chain is checked as far as it goes. */
  readonly trustAnchors?: readonly string[];
}

export const DEFAULT_CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Check an issued chain against what was ordered: the issued certificate is the CA's claim, not a fact (RFC 8555
 * §6.1; a hostile CA's certificate for another key, or for other names, was once stored and then never renewed
 * because it looked fresh). Returns every finding, none when the chain is acceptable:
 *
 * - key: the leaf certifies the CSR's public key;
 * - names: its dNSName and iPAddress SANs are exactly the order's identifiers;
 * - validity: notBefore ≤ now (+ skew) < notAfter, for the leaf only — CAs deliberately ship expired cross-signs;
 * - chain: each certificate is issued by the next (names, key identifiers, signature) and every issuer is a CA; a
 *   leaf-only chain is truncated unless a trust anchor issued the leaf, and a self-signed leaf is refused;
 * - trust: with trust anchors, the chain's top is an anchor or is signed by one.
 */
export function inspectIssuedChain(pem: string, expected: IssuedChainExpectations): CertificateFinding[] {
  let chain: ParsedCertificate[];
  try {
    chain = parseCertificateChain(pem);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return [{ check: 'chain', detail: `the chain cannot be read: ${reason}` }];
  }
  const leaf = chain[0]!;
  const nodes = chain.map((certificate) => nodeCertificate(certificate.der));
  const anchors = expected.trustAnchors ?? [];
  return [
    ...keyFindings(leaf, expected.publicKey),
    ...nameFindings(leaf, expected.identifiers),
    ...validityFindings(leaf, expected.now, expected.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS),
    ...linkFindings(chain, nodes),
    ...topFindings(chain, nodes, anchors),
  ];
}

function keyFindings(leaf: ParsedCertificate, publicKey: KeyObject): CertificateFinding[] {
  if (certificateMatchesKey(leaf, publicKey)) return [];
  const found = nodeCertificate(leaf.der).publicKey;
  return [
    {
      check: 'key',
      detail: `its public key (${keyText(found)}) is not the CSR's (${keyText(publicKey)}): it was issued for another key`,
    },
  ];
}

function keyText(key: KeyObject): string {
  const spki = key.export({ type: 'spki', format: 'der' });
  return `${describeKey(key).text}, SPKI SHA-256 ${createHash('sha256').update(spki).digest('hex').slice(0, 16)}…`;
}

function nameFindings(leaf: ParsedCertificate, identifiers: readonly Identifier[]): CertificateFinding[] {
  const expected = unique(identifiers.map((id) => formatIdentifier(canonicalIdentifier(id.type, id.value))));
  const found = unique([
    ...leaf.names.map((name) => formatIdentifier(canonicalIdentifier('dns', name))),
    ...leaf.ipAddresses.map((ip) => formatIdentifier(canonicalIdentifier('ip', ip))),
  ]);
  const same = expected.length === found.length && expected.every((name) => found.includes(name));
  if (same) return [];
  const missing = expected.filter((name) => !found.includes(name));
  const extra = found.filter((name) => !expected.includes(name));
  const parts = [
    missing.length > 0 ? `missing ${missing.join(', ')}` : '',
    extra.length > 0 ? `not ordered ${extra.join(', ')}` : '',
  ].filter(Boolean);
  return [
    {
      check: 'names',
      detail: `its names are not the order's: expected ${expected.join(', ')}, found ${found.join(', ') || 'none'} (${parts.join('; ')})`,
      expected,
      found,
    },
  ];
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)].sort();
}

function validityFindings(leaf: ParsedCertificate, now: Date, skewMs: number): CertificateFinding[] {
  if (leaf.notBefore.getTime() > now.getTime() + skewMs) {
    return [
      {
        check: 'validity',
        detail: `it is not valid yet: notBefore ${leaf.notBefore.toISOString()} is after now (${now.toISOString()}, allowing ${skewMs / 60_000} min of clock skew)`,
      },
    ];
  }
  if (now.getTime() >= leaf.notAfter.getTime()) {
    return [
      {
        check: 'validity',
        detail: `it has expired: notAfter ${leaf.notAfter.toISOString()} is not after now (${now.toISOString()})`,
      },
    ];
  }
  return [];
}

function linkFindings(chain: readonly ParsedCertificate[], nodes: readonly NodeX509Certificate[]) {
  const findings: CertificateFinding[] = [];
  if (nodes[0]!.ca) {
    findings.push({
      check: 'chain',
      depth: 0,
      detail: `the leaf (${chain[0]!.subject || 'empty subject'}) is a CA certificate, not an end-entity one`,
    });
  }
  for (let depth = 1; depth < nodes.length; depth++) {
    const link = issuedBy(chain[depth - 1]!.der, chain[depth]!.der);
    const at = `depth ${depth} (${chain[depth]!.subject || 'empty subject'})`;
    const broken =
      link === 'not-issuer'
        ? `is not the issuer of depth ${depth - 1}, which names ${chain[depth - 1]!.issuer}`
        : link === 'bad-signature'
          ? `did not sign depth ${depth - 1}: the signature does not verify with its key`
          : !nodes[depth]!.ca
            ? 'is not a CA certificate'
            : undefined;
    if (broken)
      findings.push({ check: 'chain', depth, detail: `the chain is broken at ${at}: it ${broken}` });
  }
  return findings;
}

function topFindings(
  chain: readonly ParsedCertificate[],
  nodes: readonly NodeX509Certificate[],
  anchors: readonly string[],
): CertificateFinding[] {
  const depth = nodes.length - 1;
  const top = nodes[depth]!;
  const topDer = chain[depth]!.der;
  const topText = chain[depth]!.subject || 'empty subject';
  const selfSigned = issuedBy(topDer, topDer) === 'issued';
  const anchored = anchors.some(
    (anchor) => nodeCertificate(anchor).raw.equals(top.raw) || issuedBy(topDer, anchor) === 'issued',
  );
  if (nodes.length === 1 && !anchored) {
    return [
      selfSigned
        ? { check: 'chain', depth: 0, detail: `the leaf is self-signed (${topText}): no CA issued it` }
        : {
            check: 'chain',
            depth: 1,
            detail: `the chain is truncated: it holds only the leaf, and its issuer ${chain[0]!.issuer} is missing at depth 1`,
          },
    ];
  }
  if (anchors.length === 0 || anchored) return [];
  const known = anchors.map((anchor) => nodeCertificate(anchor).subject.replace(/\n/g, ', ')).join('; ');
  return [
    {
      check: 'trust',
      depth,
      detail: selfSigned
        ? `the chain ends at the self-signed ${topText}, which is not a configured trust anchor (${known})`
        : `the chain ends at ${topText}, issued by ${chain[depth]!.issuer}, which is not a configured trust anchor (${known})`,
    },
  ];
}
