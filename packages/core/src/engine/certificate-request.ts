import { parseCertificateChain } from '../crypto/certificate.js';
import { importCertificateKey } from '../crypto/certificate-key.js';
import { createCsr } from '../crypto/csr.js';
import type { CertificateFinding } from '../crypto/verify-issued-chain.js';
import type { CertificateChain, DownloadedCertificate } from '../resources/certificates.js';
import type { IssuedCertificate, OrderState } from './order-state.js';

/** The DER CSR to finalize with: the caller's own, or one made from the order's key and identifiers. */
export async function csrForOrder(state: OrderState): Promise<Uint8Array> {
  if (state.csr) return Buffer.from(state.csr, 'base64url');
  const key = importCertificateKey(state.certificateKeyPem!);
  return (await createCsr({ identifiers: state.identifiers, key })).der;
}

/** Common name of the top certificate's issuer: what "preferred chain" options match against (as certbot does). */
export function chainIssuerName(pem: string): string | undefined {
  const chain = parseCertificateChain(pem);
  const top = chain[chain.length - 1];
  if (!top) return undefined;
  return /CN=([^,]+)/.exec(top.issuer)?.[1] ?? top.issuer;
}

/** What is wrong with a chain; empty when it may be accepted (see `inspectIssuedChain`). */
export type ChainInspector = (chain: CertificateChain) => readonly CertificateFinding[];

/**
 * The chain to store: the default one, unless a preferred issuer is named and a verified alternate matches it.
 * Every candidate is verified first. Alternates are downloaded one at a time and only while needed — when the
 * preference is not met, or when the default chain fails (a chain to another root may pass) — so no request is spent
 * on the common path. Throws {@link CertificateRejectedError} with the default chain's findings when no chain passes.
 */
export async function chooseVerifiedChain(
  downloaded: DownloadedCertificate,
  preferredIssuer: string | undefined,
  fetchAlternate: (url: string) => Promise<CertificateChain>,
  inspect: ChainInspector,
  rejected: (findings: readonly CertificateFinding[]) => Error,
): Promise<IssuedCertificate> {
  const issued = (chain: CertificateChain): IssuedCertificate => ({
    url: chain.url,
    pem: chain.pem,
    chainIssuer: chainIssuerName(chain.pem),
  });
  const defaultFindings = inspect(downloaded.default);
  const first = defaultFindings.length === 0 ? issued(downloaded.default) : undefined;
  if (first && (!preferredIssuer || matches(first, preferredIssuer))) return first;
  let fallback = first;
  for (const url of downloaded.alternateUrls) {
    const chain = await fetchAlternate(url);
    if (inspect(chain).length > 0) continue;
    const alternate = { ...issued(chain), url: downloaded.default.url };
    if (!preferredIssuer || matches(alternate, preferredIssuer)) return alternate;
    fallback ??= alternate;
  }
  if (fallback) return fallback;
  throw rejected(defaultFindings);
}

function matches(certificate: IssuedCertificate, preferredIssuer: string): boolean {
  return certificate.chainIssuer?.toLowerCase() === preferredIssuer.toLowerCase();
}
