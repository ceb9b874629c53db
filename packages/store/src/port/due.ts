import type { CertificateRecord } from './records.js';

/**
 * Which stored certificates a renewal sweep must look at: every one that may need work by `by`. The store answers
 * from indexed dates (FileStore: its certificate index; PostgreSQL: indexed columns), so a sweep over 100 000
 * certificates reads only the few that are due; the freshness gate still makes the decision for each.
 */
export interface DueQuery {
  /** The moment (ISO 8601) the sweep plans up to: now, or now plus the longest it sleeps before the next sweep. */
  readonly by: string;
  /** The caller's renewBefore: a certificate expiring before `by` plus this is due too. */
  readonly renewBeforeMs?: number;
  readonly afterKey?: string;
  /** Records per page (default 1000). */
  readonly limit?: number;
}

/**
 * The moment a certificate may next need a sweep's attention, from its own dates alone (milliseconds): at once
 * when it is revoked or its ARI window was never fetched; else its ARI moment or the renewalInfo refresh, whichever is first; else half its lifetime
 * (whole milliseconds, so every backend stores the same instant).
 * Half is the earliest the lifetime rule renews (1/2 of a short lifetime, 2/3 of a longer one), so this is never
 * later than the freshness gate's renewal time without renewBefore; renewBefore is {@link DueQuery.renewBeforeMs}.
 */
export function certificateCheckAt(record: CertificateRecord): number {
  const info = record.renewalInfo;
  // Revoked, or an ARI id whose window was never fetched: due from the start (a CA without ARI keeps these due).
  if (record.revokedAt || (record.ariCertId && !info)) return Date.parse(record.notBefore);
  if (info) return Math.min(Date.parse(info.chosenAt), Date.parse(info.refreshAt));
  const notBefore = Date.parse(record.notBefore);
  return Math.floor(notBefore + (Date.parse(record.notAfter) - notBefore) / 2);
}

/** The last expiry (milliseconds) that makes a certificate due for `query` through renewBefore. */
export function dueExpiryBound(query: DueQuery): number {
  return Date.parse(query.by) + Math.max(0, query.renewBeforeMs ?? 0);
}

/** Whether `record` is due for `query`: what every backend's listDueCertificates answers. */
export function isDue(record: CertificateRecord, query: DueQuery): boolean {
  return (
    certificateCheckAt(record) <= Date.parse(query.by) || Date.parse(record.notAfter) <= dueExpiryBound(query)
  );
}
