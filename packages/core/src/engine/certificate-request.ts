import { parseCertificateChain } from '../crypto/certificate.js';
import { importCertificateKey } from '../crypto/certificate-key.js';
import { createCsr } from '../crypto/csr.js';
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

/**
 * The default chain, unless a preferred issuer is named and an alternate chain matches it. Alternates are
 * downloaded one at a time and only until one matches: no request is spent when no preference is set.
 */
export async function choosePreferredChain(
  downloaded: DownloadedCertificate,
  preferredIssuer: string | undefined,
  fetchAlternate: (url: string) => Promise<CertificateChain>,
): Promise<IssuedCertificate> {
  const issued = (chain: CertificateChain): IssuedCertificate => ({
    url: chain.url,
    pem: chain.pem,
    chainIssuer: chainIssuerName(chain.pem),
  });
  const first = issued(downloaded.default);
  if (!preferredIssuer || matches(first, preferredIssuer)) return first;
  for (const url of downloaded.alternateUrls) {
    const alternate = issued(await fetchAlternate(url));
    if (matches(alternate, preferredIssuer)) return { ...alternate, url: downloaded.default.url };
  }
  return first;
}

function matches(certificate: IssuedCertificate, preferredIssuer: string): boolean {
  return certificate.chainIssuer?.toLowerCase() === preferredIssuer.toLowerCase();
}
