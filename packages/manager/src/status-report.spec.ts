import { certificateKey, letsEncryptRateLimits, setBackoffKey } from '@certkeeper/policy';
import { MemoryStore } from '@certkeeper/store';
import { describe, expect, it } from 'vitest';
import { buildStatusReport } from './status-report.js';

const directoryUrl = 'https://ca.test/dir';
const accountUrl = 'https://ca.test/acct/1';
const now = new Date('2026-12-01T00:00:00Z');
const clock = { now: () => now };
const options = { directoryUrl, rateLimits: letsEncryptRateLimits };

async function storeWithAccount(): Promise<MemoryStore> {
  const store = new MemoryStore();
  await store.putAccount({
    name: 'default',
    directoryUrl,
    accountUrl,
    keyPem: 'unused',
    contact: [],
    createdAt: now.toISOString(),
  });
  return store;
}

describe('buildStatusReport', () => {
  it('lists a configured certificate before any account exists as missing, with no budgets', async () => {
    const report = await buildStatusReport({
      options,
      store: new MemoryStore(),
      requests: [{ identifiers: ['b.example.test', 'a.example.test'] }],
      clock,
    });
    expect(report.accountUrl).toBeUndefined();
    expect(report.certificates).toEqual([
      {
        directoryUrl: options.directoryUrl,
        identifiers: ['b.example.test', 'a.example.test'],
        configured: true,
        state: 'missing',
        budgets: [],
      },
    ]);
  });

  it('reports the renewal time and why, the last error with its backoff, and the budget the ledger leaves', async () => {
    const store = await storeWithAccount();
    const identifiers = [{ type: 'dns' as const, value: 'a.example.test' }];
    const request = { directoryUrl, accountUrl, identifiers };
    const key = certificateKey(request);
    await store.putCertificate({
      key,
      directoryUrl,
      accountUrl,
      identifiers,
      keyType: 'ec256',
      certificatePem: '',
      keyPem: '',
      notBefore: '2026-11-01T00:00:00.000Z',
      notAfter: '2027-01-30T00:00:00.000Z',
      serialNumberHex: '0a',
      issuedAt: '2026-11-01T00:00:00.000Z',
    });
    for (const at of ['2026-11-30T22:00:00Z', '2026-11-30T23:00:00Z'])
      await store.appendLedger({
        kind: 'certificate',
        at,
        directoryUrl,
        accountUrl,
        identifierSet: 'dns:a.example.test',
        identifiers,
      });
    await store.putBackoff({
      key: setBackoffKey(request),
      retryAt: '2026-12-01T01:00:00.000Z',
      reason: 'rejectedIdentifier: blocked',
      failures: 2,
      updatedAt: '2026-11-30T23:00:00.000Z',
    });
    const report = await buildStatusReport({
      options,
      store,
      requests: [{ identifiers: ['a.example.test'] }],
      clock,
    });
    const [row] = report.certificates;
    expect(row).toMatchObject({
      key,
      state: 'valid',
      serialNumberHex: '0a',
      renewal: {
        at: '2026-12-31T00:00:00.000Z',
        basis: 'lifetime',
        explanation: '2/3 of the 90-day lifetime',
      },
      lastError: { reason: 'rejectedIdentifier: blocked', failures: 2 },
      backoff: { until: '2026-12-01T01:00:00.000Z', rateLimited: false },
    });
    expect(row!.budgets).toContainEqual(
      expect.objectContaining({ rule: 'certificatesPerExactSet', remaining: 3, limit: 5, exempt: false }),
    );

    // Recorded under another configuration: still the last error, but no longer a backoff for this one.
    await store.putBackoff({
      ...(await store.getBackoff(setBackoffKey(request)))!,
      configFingerprint: 'sha256:old',
    });
    const statusUnder = async (configFingerprint: string) =>
      (
        await buildStatusReport({
          options,
          store,
          requests: [{ identifiers: ['a.example.test'], configFingerprint }],
          clock,
        })
      ).certificates[0];
    const changed = await statusUnder('sha256:new');
    expect(changed?.lastError).toMatchObject({ failures: 2 });
    expect(changed?.backoff).toBeUndefined();
    expect((await statusUnder('sha256:old'))?.backoff).toMatchObject({ until: '2026-12-01T01:00:00.000Z' });
  });

  it('includes stored certificates of the CA that are not configured, and skips other CAs', async () => {
    const store = await storeWithAccount();
    for (const [ca, name] of [
      [directoryUrl, 'stored.example.test'],
      ['https://other.test/dir', 'elsewhere.example.test'],
    ] as const) {
      const identifiers = [{ type: 'dns' as const, value: name }];
      await store.putCertificate({
        key: certificateKey({ directoryUrl: ca, accountUrl, identifiers }),
        directoryUrl: ca,
        accountUrl,
        identifiers,
        keyType: 'ec256',
        certificatePem: '',
        keyPem: '',
        notBefore: '2026-09-01T00:00:00.000Z',
        notAfter: '2026-11-30T00:00:00.000Z',
        serialNumberHex: '01',
        issuedAt: '2026-09-01T00:00:00.000Z',
      });
    }
    const report = await buildStatusReport({ options, store, clock });
    expect(report.certificates.map((c) => [c.identifiers[0], c.configured, c.state])).toEqual([
      ['stored.example.test', false, 'expired'],
    ]);
  });

  it('reports the ARI window, where the files are (as the caller lays them out) and the last deployment', async () => {
    const store = await storeWithAccount();
    const identifiers = [{ type: 'dns' as const, value: 'deployed.example.test' }];
    const key = certificateKey({ directoryUrl, accountUrl, identifiers });
    await store.putCertificate({
      key,
      directoryUrl,
      accountUrl,
      identifiers,
      keyType: 'ec256',
      certificatePem: '',
      keyPem: 'SECRET KEY',
      notBefore: '2026-11-01T00:00:00.000Z',
      notAfter: '2027-01-30T00:00:00.000Z',
      serialNumberHex: '0b',
      issuedAt: '2026-11-01T00:00:00.000Z',
      renewalInfo: {
        windowStart: '2026-12-20T00:00:00.000Z',
        windowEnd: '2026-12-22T00:00:00.000Z',
        chosenAt: '2026-12-21T00:00:00.000Z',
        refreshAt: '2026-12-01T06:00:00.000Z',
        fetchedAt: '2026-11-30T18:00:00.000Z',
      },
    });
    await store.putManaged({
      key,
      directoryUrl,
      identifiers,
      recipe: { output: '/srv/tls/deployed' },
      deployment: {
        serialNumberHex: '0a',
        at: '2026-11-30T00:00:00.000Z',
        ok: false,
        error: 'hook exited 1',
        attempts: 2,
      },
      createdAt: '2026-10-01T00:00:00.000Z',
      updatedAt: '2026-11-30T00:00:00.000Z',
    });
    const seen: unknown[] = [];
    const report = await buildStatusReport({
      options,
      store,
      clock,
      filesOf: (certificate) => {
        seen.push(certificate);
        const output = certificate.managed?.recipe.output;
        return typeof output === 'string'
          ? [{ role: 'output', directory: output, files: ['fullchain.pem'] }]
          : [];
      },
    });
    expect(seen).toEqual([expect.objectContaining({ key, stored: true, identifiers })]);
    const [row] = report.certificates;
    expect(row!.files).toEqual([
      { role: 'output', directory: '/srv/tls/deployed', files: ['fullchain.pem'] },
    ]);
    expect(row!.renewal).toMatchObject({
      at: '2026-12-21T00:00:00.000Z',
      basis: 'ari-window',
      window: { start: '2026-12-20T00:00:00.000Z', end: '2026-12-22T00:00:00.000Z' },
    });
    expect(row!.deployment).toEqual({
      at: '2026-11-30T00:00:00.000Z',
      ok: false,
      error: 'hook exited 1',
      attempts: 2,
      current: false,
    });
    expect(JSON.stringify(report)).not.toContain('SECRET KEY');
  });
});
