import { type CertificateManager, createCertificateManager, type OrderProgress } from '@certkeeper/manager';
import { certificateKey } from '@certkeeper/policy';
import { leaseHolderId, MemoryStore } from '@certkeeper/store';
import { faults } from '@certkeeper/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ProxiedPebble, startProxiedPebble } from '../support/proxied-pebble.js';
import { rejectionOf } from '../support/rejection.js';

/**
 * What a caller of ensure() sees when it stops a run, when another process holds the certificate, when its lease is
 * taken from it, and when a run stopped between issuing and storing — one manager process, one shared store.
 */
describe('CertificateManager: interruption, leases and unfinished commits', () => {
  let ca: ProxiedPebble;
  const managers: CertificateManager[] = [];
  const compose = (store: MemoryStore, description = 'test run') => {
    const manager = createCertificateManager({
      directoryUrl: ca.proxy.directoryUrl,
      caBundle: ca.proxy.caBundlePem,
      account: { contact: ['mailto:ops@example.test'] },
      store,
      solvers: [ca.http01],
      metrics: false,
      leaseHolder: { description },
    });
    managers.push(manager);
    return manager;
  };
  /** The certificate key of `names` for the store's account, and a look at its lease. */
  const leaseOf = async (store: MemoryStore, names: string[]) => {
    const accountUrl = (await store.getAccount(ca.proxy.directoryUrl, 'default'))!.accountUrl;
    const key = certificateKey({
      directoryUrl: ca.proxy.directoryUrl,
      accountUrl,
      identifiers: names.map((value) => ({ type: 'dns' as const, value })),
    });
    return { key, lease: () => store.getLease(`certificate|${key}`) };
  };

  beforeAll(async () => {
    ca = await startProxiedPebble();
  });
  afterEach(() => {
    ca.proxy.clearRules();
    ca.proxy.clearLog();
  });
  afterAll(async () => {
    await Promise.all(managers.map((m) => m.close()));
    await ca?.stop();
  });

  it('aborted mid-order: rejects at once, releases the lease, and the next run finishes the same order', async () => {
    const store = new MemoryStore();
    const manager = compose(store);
    const names = ['abort.example.test'];
    ca.proxy.addRule({ kind: 'challenge', method: 'POST', times: 1, action: faults.delay(60_000) });
    const controller = new AbortController();
    const reached = new Promise<void>((resolve) =>
      manager.events.on('progress', (p) => p.phase === 'answer-challenges' && resolve()),
    );
    const running = manager.ensure({ identifiers: names }, { signal: controller.signal });
    await reached;
    await new Promise((resolve) => setTimeout(resolve, 200)); // inside the held challenge POST
    const abortedAt = Date.now();
    controller.abort();
    const error = await rejectionOf(running);
    expect(Date.now() - abortedAt).toBeLessThan(1_000);
    expect(error).toMatchObject({ code: 'CERTKEEPER_ERR_ABORTED' });
    const { key, lease } = await leaseOf(store, names);
    expect(await lease()).toBeUndefined();
    // Stopped, it wrote down how far it got (between checkpoints it writes only what cannot be found again).
    expect((await store.getOrder(key))?.state.phase).toBe('answer-challenges');

    const resumed = await compose(store).ensure({ identifiers: names });
    expect(resumed.type).toBe('issued');
    expect(ca.proxy.count('newOrder', 'POST')).toBe(1);
  });

  it('waiting for a lease another process holds: says who and until when, and stops at once when aborted', async () => {
    const store = new MemoryStore();
    const manager = compose(store);
    const names = ['waiting.example.test'];
    await manager.ensure({ identifiers: names }); // the account, and a certificate to force a renewal of
    const { key, lease } = await leaseOf(store, names);
    const other = leaseHolderId({ description: 'certkeeper renew', host: 'elsewhere' });
    const held = (await store.acquireLease(`certificate|${key}`, other, 30_000))!;
    const waits: OrderProgress[] = [];
    manager.events.on('progress', (p) => p.phase === 'lease' && waits.push(p));
    const controller = new AbortController();
    const running = manager.ensure({ identifiers: names, force: true }, { signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(waits).toHaveLength(1);
    expect(waits[0]).toMatchObject({
      next: 'wait',
      holder: `process ${process.pid} on elsewhere (certkeeper renew)`,
      until: new Date(held.expiresAt),
      identifiers: names,
    });
    expect(waits[0]!.detail).toBe(
      `held by process ${process.pid} on elsewhere (certkeeper renew) until ${held.expiresAt}`,
    );
    const abortedAt = Date.now();
    controller.abort();
    expect(await rejectionOf(running)).toMatchObject({ code: 'CERTKEEPER_ERR_ABORTED' });
    expect(Date.now() - abortedAt).toBeLessThan(500);
    expect((await lease())?.holder).toBe(other);
    await store.releaseLease(held);
  });

  it('a lease taken over mid-order stops the run: deferred, no backoff, the order left to the new holder', async () => {
    const store = new MemoryStore();
    const manager = createCertificateManager({
      directoryUrl: ca.proxy.directoryUrl,
      caBundle: ca.proxy.caBundlePem,
      store,
      solvers: [ca.http01],
      metrics: false,
      leaseTtlMs: 900,
    });
    managers.push(manager);
    const names = ['taken.example.test'];
    ca.proxy.addRule({ kind: 'challenge', method: 'POST', times: 1, action: faults.delay(60_000) });
    const reached = new Promise<void>((resolve) =>
      manager.events.on('progress', (p) => p.phase === 'answer-challenges' && resolve()),
    );
    const running = manager.ensure({ identifiers: names });
    await reached;
    // Another process takes the lease the moment it looks expired (a store that stalled, a frozen process).
    const { key, lease } = await leaseOf(store, names);
    const current = (await lease())!;
    await store.releaseLease(current);
    const thief = await store.acquireLease(`certificate|${key}`, leaseHolderId({ host: 'other' }), 30_000);
    expect(thief).toBeDefined();
    const outcome = await running;
    expect(outcome).toMatchObject({ type: 'deferred' });
    expect(outcome.reason).toMatch(/another process has the order/);
    expect(await store.getBackoff(`set|${key}`)).toBeUndefined();
    expect((await store.getOrder(key))?.state.phase).toBe('answer-challenges');
  });

  it('a finished order left stored (killed between issuing and storing): stored by the next run, nothing ordered', async () => {
    const store = new MemoryStore();
    const manager = compose(store);
    const names = ['commit.example.test'];
    // A run that finished the order and failed to store the certificate (what a kill there leaves; the crash suites
    // kill real processes at every write, this checks what the next run reports).
    const putCertificate = store.putCertificate.bind(store);
    let refused = false;
    store.putCertificate = async (record) => {
      if (!refused) {
        refused = true;
        throw new Error('killed before storing the certificate');
      }
      return putCertificate(record);
    };
    await expect(manager.ensure({ identifiers: names })).rejects.toThrow('killed before storing');
    const { key } = await leaseOf(store, names);
    const left = await store.getOrder(key);
    expect(left?.state.phase).toBe('done');
    ca.proxy.clearLog();
    const issued: string[] = [];
    const next = compose(store);
    next.events.on('issued', (o) => issued.push(o.certificate.serialNumberHex));
    const outcome = await next.ensure({ identifiers: names });
    expect(outcome).toMatchObject({ type: 'issued', due: 'resumed' });
    expect(ca.proxy.log).toHaveLength(0);
    expect(await store.getOrder(key)).toBeUndefined();
    expect((await store.getCertificate(key))?.certificatePem).toBe(left!.state.certificate!.pem);
    expect(issued).toHaveLength(1);
    const counted = await store.queryLedger({
      directoryUrl: ca.proxy.directoryUrl,
      since: new Date(0).toISOString(),
      kinds: ['certificate'],
    });
    expect(counted.filter((e) => e.identifiers.some((i) => i.value === names[0]))).toHaveLength(1);
  });
});
