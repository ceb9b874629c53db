import type { CertificateRecord } from '@certkeeper/store';

const TEN_DAYS_MS = 10 * 24 * 3600 * 1000;

export type RenewalBasis = 'ari-window' | 'lifetime' | 'renew-before';

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
 *
 * `renewBeforeMs` (the user's threshold, certbot's `renew_before_expiry`): due once less than that remains. It
 * replaces the lifetime rule; against an ARI window the earlier of the two wins — the CA can always pull a
 * renewal forward (a revocation incident), never push one past the user's margin. A threshold as long as the
 * lifetime or longer would renew on every run: the lifetime rule applies then, and the explanation says so.
 */
export function renewalTime(certificate: CertificateRecord, renewBeforeMs?: number): RenewalTime {
  const notBefore = Date.parse(certificate.notBefore);
  const notAfter = Date.parse(certificate.notAfter);
  const lifetime = notAfter - notBefore;
  const usable = renewBeforeMs !== undefined && renewBeforeMs > 0 && renewBeforeMs < lifetime;
  const threshold: RenewalTime | undefined = usable
    ? {
        at: new Date(notAfter - renewBeforeMs),
        basis: 'renew-before',
        explanation: `renewBefore ${formatSpan(renewBeforeMs)} before expiry`,
      }
    : undefined;
  const info = certificate.renewalInfo;
  if (info) {
    const ari: RenewalTime = {
      at: new Date(info.chosenAt),
      basis: 'ari-window',
      explanation: `ARI window ${info.windowStart} – ${info.windowEnd}`,
    };
    return threshold && threshold.at.getTime() < ari.at.getTime()
      ? { ...threshold, explanation: `${threshold.explanation}, before the ${ari.explanation}` }
      : ari;
  }
  if (threshold) return threshold;
  const ignored =
    renewBeforeMs !== undefined && !usable
      ? `; renewBefore ${formatSpan(renewBeforeMs)} is not shorter than the lifetime, so it is not used`
      : '';
  const fraction = lifetime < TEN_DAYS_MS ? 1 / 2 : 2 / 3;
  const days = Math.round((lifetime / 86_400_000) * 10) / 10;
  return {
    at: new Date(notBefore + lifetime * fraction),
    basis: 'lifetime',
    explanation: `${fraction === 0.5 ? '1/2' : '2/3'} of the ${days}-day lifetime${ignored}`,
  };
}

/** 30d, 12h, 90m or 45s: the largest unit that divides the span, as a config would write it. */
function formatSpan(ms: number): string {
  const seconds = Math.round(ms / 1000);
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const)
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  return `${seconds}s`;
}
