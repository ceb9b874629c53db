import { AcmeClient, AcmeProblemError, importAccountKey, parseCertificate } from '@certkeeper/core';
import { StandaloneHttp01Solver } from '@certkeeper/http01';
import { type CertificateManager, createCertificateManager } from '@certkeeper/manager';
import { type CertificateRecord, MemoryStore } from '@certkeeper/store';
import { type PebbleHandle, startPebble } from '@certkeeper/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersAtCa } from '../support/orders-at-ca.js';
import { rejectionOf } from '../support/rejection.js';

const HOUR = 3_600_000;

/**
 * renewDue against Pebble 2.10's own ARI (RFC 9773) and profiles, no proxy: Pebble suggests a window around two
 * thirds of the lifetime, its management API moves the window when a test needs a renewal now, and the account's
 * order list at the CA shows what each renewal asked for (`replaces`, `profile`).
 */
describe("renewDue with Pebble's own renewalInfo and profiles", () => {
  let pebble: PebbleHandle;
  let http01: StandaloneHttp01Solver;
  let manager: CertificateManager;
  const store = new MemoryStore();

  beforeAll(async () => {
    const probe = new StandaloneHttp01Solver({ host: '127.0.0.1', port: 0 });
    const port = (await probe.start()).port;
    await probe.stop();
    http01 = new StandaloneHttp01Solver({ host: '127.0.0.1', port });
    // Two profiles of different lifetimes: an order that lost its profile would get either one, at random.
    pebble = await startPebble({
      httpPort: port,
      profiles: {
        classic: { validityPeriodSeconds: 90 * 24 * 3600 },
        shortlived: { validityPeriodSeconds: 160 * 3600 },
      },
    });
    manager = createCertificateManager({
      directoryUrl: pebble.directoryUrl,
      caBundle: pebble.caBundlePem,
      store,
      solvers: [http01],
      metrics: false,
    });
  });
  afterAll(async () => {
    await manager?.close();
    await http01?.stop();
    await pebble?.stop();
  });

  const storedFor = async (name: string): Promise<CertificateRecord> =>
    (await store.listCertificates()).find((c) => c.identifiers.some((i) => i.value === name))!;
  const lifetimeHours = (record: CertificateRecord) => {
    const leaf = parseCertificate(record.certificatePem);
    return Math.round((leaf.notAfter.getTime() - leaf.notBefore.getTime()) / HOUR);
  };
  /** Pebble's management API puts the window in the past, and the stored window is made due for a refresh. */
  const windowNow = async (record: CertificateRecord) => {
    const start = new Date(Date.now() - 2 * 24 * HOUR).toISOString();
    const end = new Date(Date.now() - 24 * HOUR).toISOString();
    await pebble.setRenewalInfo(record.certificatePem, JSON.stringify({ suggestedWindow: { start, end } }));
    await store.putCertificate({
      ...record,
      renewalInfo: { ...record.renewalInfo!, refreshAt: new Date(0).toISOString() },
    });
  };

  it("follows Pebble's window, then renews with replaces and the profile it was issued with", async () => {
    const name = 'managed-ari.example.test';
    manager.manage([{ identifiers: [name], profile: 'shortlived' }]);
    expect((await manager.renewDue()).outcomes.map((o) => o.type)).toEqual(['issued']);
    const issued = await storedFor(name);
    expect([issued.profile, lifetimeHours(issued)]).toEqual(['shortlived', 160]);

    // The next sweep asks Pebble for the window: a third of 160 h before expiry, ± 24 h. Fresh, nothing ordered.
    expect((await manager.renewDue()).outcomes.map((o) => o.type)).toEqual(['fresh']);
    const withWindow = await storedFor(name);
    const ideal = Date.parse(issued.notAfter) + 1000 - (160 * HOUR) / 3;
    expect(Date.parse(withWindow.renewalInfo!.windowStart)).toBeCloseTo(ideal - 24 * HOUR, -4);
    expect(Date.parse(withWindow.renewalInfo!.windowEnd)).toBeCloseTo(ideal + 24 * HOUR, -4);

    // The CA moves the window into the past: renew now, replacing the certificate, with the same profile.
    await windowNow(withWindow);
    expect((await manager.renewDue()).outcomes.map((o) => o.type)).toEqual(['renewed']);
    const renewed = await storedFor(name);
    expect(renewed.serialNumberHex).not.toBe(issued.serialNumberHex);
    expect([renewed.profile, lifetimeHours(renewed)]).toEqual(['shortlived', 160]);
    const orders = await ordersAtCa(store, pebble);
    const replacement = orders.find((order) => order.replaces === issued.ariCertId);
    expect(replacement).toMatchObject({ profile: 'shortlived', status: 'valid' });
  });

  it('renews a certificate that was only ensured (a stored one, not managed) with its profile too', async () => {
    const name = 'stored-ari.example.test';
    expect((await manager.ensure({ identifiers: [name], profile: 'shortlived' })).type).toBe('issued');
    const issued = await storedFor(name);
    await manager.renewDue(); // learns the window
    await windowNow(await storedFor(name));
    const sweep = await manager.renewDue();
    expect(sweep.outcomes.filter((o) => o.type === 'renewed')).toHaveLength(1);
    const renewed = await storedFor(name);
    expect([renewed.profile, lifetimeHours(renewed)]).toEqual(['shortlived', 160]);
    const replacement = (await ordersAtCa(store, pebble)).find((o) => o.replaces === issued.ariCertId);
    expect(replacement?.profile).toBe('shortlived');
  });

  it('Pebble answers alreadyReplaced to a second replacement of the same certificate', async () => {
    const replaced = (await ordersAtCa(store, pebble)).find((o) => o.replaces !== undefined)!;
    const account = (await store.getAccount(pebble.directoryUrl, 'default'))!;
    const client = new AcmeClient({
      directoryUrl: pebble.directoryUrl,
      caBundle: pebble.caBundlePem,
      accountKey: await importAccountKey(account.keyPem),
      accountUrl: account.accountUrl,
    });
    try {
      const error = await rejectionOf(
        client.orders.create({ identifiers: replaced.identifiers, replaces: replaced.replaces! }),
      );
      expect(AcmeProblemError.isInstance(error)).toBe(true);
      expect(error.type).toBe('alreadyReplaced');
    } finally {
      await client.close();
    }
  });
});
