import type { CertificateRecord, Store } from '@certkeeper/store';
import { certificateRecord } from '@certkeeper/testkit/store-conformance';

/** The sweep's moment the index crash test asks about. */
export const indexCrashBy = '2026-12-20T00:00:00.000Z';

/** A certificate due at `indexCrashBy` (half of 30 days passed) or fresh then (ARI moment in 2027). */
function record(key: string, due: boolean, generation: number): CertificateRecord {
  const base = certificateRecord(key, generation);
  return {
    ...base,
    notBefore: '2026-11-01T00:00:00.000Z',
    notAfter: due ? '2026-12-01T00:00:00.000Z' : '2027-11-01T00:00:00.000Z',
    renewalInfo: {
      ...base.renewalInfo!,
      chosenAt: due ? '2026-11-20T00:00:00.000Z' : '2027-06-01T00:00:00.000Z',
      refreshAt: due ? '2026-11-20T00:00:00.000Z' : '2027-06-01T00:00:00.000Z',
    },
  };
}

export const indexCrashKeys = ['index-a.crash.test', 'index-b.crash.test', 'index-c.crash.test'] as const;
const [a, b, c] = indexCrashKeys;

/**
 * Certificate writes that move certificates in and out of the due list: new, replaced both ways (a renewal
 * leaves it, a moved ARI window joins it), deleted. Run by `index-crash-child.ts`, killed before each write.
 */
export const indexCrashSteps: readonly ((store: Store) => Promise<void>)[] = [
  (store) => store.putCertificate(record(a, true, 1)),
  (store) => store.putCertificate(record(b, false, 1)),
  (store) => store.putCertificate(record(a, false, 2)),
  (store) => store.putCertificate(record(b, true, 2)),
  (store) => store.putCertificate(record(c, true, 1)),
  (store) => store.deleteCertificate(b),
  (store) => store.putCertificate(record(c, false, 2)),
];
