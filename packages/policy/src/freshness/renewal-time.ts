import type { CertificateRecord } from '@certkeeper/store';

const TEN_DAYS_MS = 10 * 24 * 3600 * 1000;

export type RenewalBasis = 'ari-window' | 'lifetime';

export interface RenewalTime {
  readonly at: Date;
  readonly basis: RenewalBasis;
  /** Human-readable: "ARI window 2026-12-01T00:00Z–2026-12-03T00:00Z" or "2/3 of the 90-day lifetime". */
  readonly explanation: string;
}

/**
 * When a certificate is due. With ARI information (RFC 9773) the moment chosen inside the CA's suggested window;
 * otherwise Let's Encrypt's guidance: when two thirds of the lifetime have passed (half for certificates valid
 * less than ten days, so a short-lived certificate keeps a useful margin).
 */
export function renewalTime(certificate: CertificateRecord): RenewalTime {
  const info = certificate.renewalInfo;
  if (info) {
    return {
      at: new Date(info.chosenAt),
      basis: 'ari-window',
      explanation: `ARI window ${info.windowStart} – ${info.windowEnd}`,
    };
  }
  const notBefore = Date.parse(certificate.notBefore);
  const lifetime = Date.parse(certificate.notAfter) - notBefore;
  const fraction = lifetime < TEN_DAYS_MS ? 1 / 2 : 2 / 3;
  const days = Math.round((lifetime / 86_400_000) * 10) / 10;
  return {
    at: new Date(notBefore + lifetime * fraction),
    basis: 'lifetime',
    explanation: `${fraction === 0.5 ? '1/2' : '2/3'} of the ${days}-day lifetime`,
  };
}
