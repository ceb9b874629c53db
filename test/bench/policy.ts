import { assessFreshness, certificateKey, RenewalCoordinator } from '@certkeeper/policy';
import { type CertificateRecord, MemoryStore } from '@certkeeper/store';

type Emit = (bench: string, figures: Record<string, unknown>) => void;

/**
 * Freshness decisions over 100 000 stored certificates: the pure gate, and `ensure` end to end on the fresh path
 * (store read + gate, no request to the CA) — what a cron `renew` or a reconciler firing every 30 minutes costs.
 */
export async function benchPolicy(emit: Emit): Promise<void> {
  const count = 100_000;
  const store = new MemoryStore();
  const now = Date.now();
  const requests = [];
  for (let i = 0; i < count; i++) {
    const request = {
      directoryUrl: 'https://ca.bench.test/dir',
      accountUrl: 'https://ca.bench.test/acct/1',
      identifiers: [{ type: 'dns' as const, value: `host${i}.bench.test` }],
    };
    const record: CertificateRecord = {
      key: certificateKey(request),
      ...request,
      keyType: 'ec256',
      certificatePem: '-----BEGIN CERTIFICATE-----\n(bench)\n-----END CERTIFICATE-----\n',
      keyPem: '(bench)',
      notBefore: new Date(now - 10 * 86_400_000).toISOString(),
      notAfter: new Date(now + 80 * 86_400_000).toISOString(),
      serialNumberHex: i.toString(16),
      issuedAt: new Date(now - 10 * 86_400_000).toISOString(),
    };
    await store.putCertificate(record);
    requests.push({ request, record });
  }
  const heapBefore = process.memoryUsage().heapUsed;
  let t = performance.now();
  const clockNow = new Date();
  let fresh = 0;
  for (const { request, record } of requests) if (assessFreshness(request, record, clockNow).fresh) fresh++;
  const gateMs = performance.now() - t;
  emit('freshness-gate', {
    certificates: count,
    fresh,
    ms: Math.round(gateMs),
    decisionsPerSecond: Math.round(count / (gateMs / 1000)),
  });

  const coordinator = new RenewalCoordinator({ store });
  const refuse = async (): Promise<never> => {
    throw new Error('a fresh certificate must not be reissued');
  };
  t = performance.now();
  for (const { request } of requests) await coordinator.ensure(request, refuse);
  const ensureMs = performance.now() - t;
  emit('ensure-fresh-path', {
    certificates: count,
    store: 'memory',
    ms: Math.round(ensureMs),
    decisionsPerSecond: Math.round(count / (ensureMs / 1000)),
    heapUsedMb: Math.round((process.memoryUsage().heapUsed - heapBefore) / 1e5) / 10,
    requestsToCa: 0,
  });
}
