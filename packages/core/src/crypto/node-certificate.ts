import { X509Certificate } from 'node:crypto';
import { RecentValues } from './recent-values.js';

/** How many certificates, and how many issuer checks, stay read: a run's shared intermediates and roots fit. */
const KEPT = 64;

const certificates = new RecentValues<X509Certificate>(KEPT);
const issuedByVerdicts = new RecentValues<IssuedBy>(KEPT);

/** The cache key of a certificate's bytes (DER) or text (PEM, kept by its text). */
export function certificateKey(source: Uint8Array | string): string {
  return typeof source === 'string'
    ? source
    : Buffer.from(source.buffer, source.byteOffset, source.byteLength).toString('base64');
}

/**
 * Node's own reading of a certificate (OpenSSL's), shared: one issuance checks its leaf's key, links and names
 * with it, and every chain of a run ends at the same intermediate and trust anchors. X509Certificate objects are
 * immutable, so sharing one is safe. Throws as `new X509Certificate` does for bytes OpenSSL cannot read.
 */
export function nodeCertificate(source: Uint8Array | string, key = certificateKey(source)): X509Certificate {
  return certificates.get(key, () => new X509Certificate(source));
}

/** Whether `parent` issued `child`: 'issued', or which part of the link does not hold. */
export type IssuedBy = 'issued' | 'not-issuer' | 'bad-signature';

/**
 * Whether `parent` names and signed `child` (its issuer name and key identifiers match, and its signature verifies
 * with `parent`'s key). The answer depends on the two certificates' bytes only, so it is kept per pair: the
 * intermediate's link to its root is checked once per run, not once per certificate.
 */
export function issuedBy(child: Uint8Array | string, parent: Uint8Array | string): IssuedBy {
  const childKey = certificateKey(child);
  const parentKey = certificateKey(parent);
  return issuedByVerdicts.get(`${childKey} ${parentKey}`, () => {
    const childCertificate = nodeCertificate(child, childKey);
    const parentCertificate = nodeCertificate(parent, parentKey);
    if (!childCertificate.checkIssued(parentCertificate)) return 'not-issuer';
    return childCertificate.verify(parentCertificate.publicKey) ? 'issued' : 'bad-signature';
  });
}
