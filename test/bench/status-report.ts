import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildStatusReport } from '@certkeeper/manager';
import { certificateKey, letsEncryptRateLimits } from '@certkeeper/policy';
import { FileStore, MemoryStore, type Store } from '@certkeeper/store';
import { createTestTls } from '@certkeeper/testkit';

type Emit = (bench: string, figures: Record<string, unknown>) => void;

const directoryUrl = 'https://ca.bench.test/dir';
const accountUrl = 'https://ca.bench.test/acct/1';

/**
 * What one rebuild of the daemon's status page costs on the server: buildStatusReport over N stored certificates
 * (each with a real certificate to parse, Let's Encrypt's rules to check) — 10 000 in memory (the report's own
 * work), 1 000 in a FileStore (what the embedded store adds per certificate).
 */
export async function benchStatusReport(emit: Emit): Promise<void> {
  const { certificatePem, privateKeyPem } = await createTestTls({ commonName: 'status-report bench' });
  const fill = async (store: Store, count: number) => {
    await store.putAccount({
      name: 'default',
      directoryUrl,
      accountUrl,
      keyPem: 'unused',
      contact: [],
      createdAt: new Date().toISOString(),
    });
    const now = Date.now();
    for (let i = 0; i < count; i++) {
      const identifiers = [{ type: 'dns' as const, value: `host${i}.bench.test` }];
      await store.putCertificate({
        key: certificateKey({ directoryUrl, accountUrl, identifiers }),
        directoryUrl,
        accountUrl,
        identifiers,
        keyType: 'ec256',
        certificatePem,
        keyPem: privateKeyPem,
        notBefore: new Date(now - 10 * 86_400_000).toISOString(),
        notAfter: new Date(now + 80 * 86_400_000).toISOString(),
        serialNumberHex: i.toString(16),
        issuedAt: new Date(now - 10 * 86_400_000).toISOString(),
      });
    }
  };
  const measure = async (name: string, store: Store, count: number) => {
    const options = { directoryUrl, rateLimits: letsEncryptRateLimits };
    await buildStatusReport({ options, store });
    const started = performance.now();
    const report = await buildStatusReport({ options, store });
    const ms = performance.now() - started;
    emit('status-report-build', {
      store: name,
      certificates: report.certificates.length,
      ms: Math.round(ms),
      perCertificateMs: Math.round((ms / count) * 100) / 100,
    });
  };
  const memory = new MemoryStore();
  await fill(memory, 10_000);
  await measure('memory', memory, 10_000);
  const directory = await mkdtemp(join(tmpdir(), 'certkeeper-bench-status-'));
  try {
    const files = await FileStore.open({ directory });
    await fill(files, 1000);
    await measure('file', files, 1000);
    await files.close();
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
