// First polls learnt per CA (issue 13): each certificate's ledger event notes how long the CA took, and the next
// order at that CA times its first polls from those notes — against Pebble, through the manager and the ledger.
import type { StandaloneHttp01Solver } from '@certkeeper/http01';
import { type CertificateManager, createCertificateManager } from '@certkeeper/manager';
import { MemoryStore } from '@certkeeper/store';
import type { FaultProxy } from '@certkeeper/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type ProxiedPebble, startProxiedPebble } from '../support/proxied-pebble.js';

describe('poll timing learnt per CA', () => {
  let ca: ProxiedPebble;
  let proxy: FaultProxy;
  let http01: StandaloneHttp01Solver;
  const managers: CertificateManager[] = [];
  const compose = (store: MemoryStore, polling?: { initialDelayMs: number }) => {
    const manager = createCertificateManager({
      directoryUrl: proxy.directoryUrl,
      caBundle: proxy.caBundlePem,
      store,
      solvers: [http01],
      ...(polling ? { polling } : {}),
    });
    managers.push(manager);
    return manager;
  };

  beforeAll(async () => {
    ca = await startProxiedPebble();
    ({ proxy, http01 } = ca);
  });
  afterEach(() => proxy.clearLog());
  afterAll(async () => {
    await Promise.all(managers.map((m) => m.close()));
    await ca?.stop();
  });

  /** The gap from the end of a POST of `kind` to the next order poll, and the order polls in the log. */
  function gapAfter(kind: 'challenge' | 'finalize') {
    const log = proxy.log;
    const posted = log.findIndex((e) => e.kind === kind && e.method === 'POST');
    const postedAt = log[posted]!.time.getTime() + log[posted]!.durationMs;
    const poll = log.slice(posted + 1).find((e) => e.kind === 'order')!;
    return poll.time.getTime() - postedAt;
  }

  /** A certificate event as an earlier order at this CA would have left it, with its poll timing notes. */
  async function seed(store: MemoryStore, pollTiming: object) {
    await store.appendLedger({
      kind: 'certificate',
      at: new Date().toISOString(),
      directoryUrl: proxy.directoryUrl,
      accountUrl: 'https://ca.test/acct/earlier',
      identifierSet: 'dns:earlier.test',
      identifiers: [{ type: 'dns', value: 'earlier.test' }],
      pollTiming,
    } as Parameters<MemoryStore['appendLedger']>[0]);
  }

  it("notes how long the CA took with the certificate's ledger event, at the protocol minimum of polls", async () => {
    const store = new MemoryStore();
    const outcome = await compose(store).ensure({ identifiers: ['notes.poll-timing.test'] });
    expect(outcome.type).toBe('issued');
    // One poll while validating, at most one while issuing.
    expect(proxy.count('order', 'POST')).toBeLessThanOrEqual(2);
    const [event] = await store.queryLedger({
      directoryUrl: proxy.directoryUrl,
      since: new Date(0).toISOString(),
      kinds: ['certificate'],
    });
    const validation = event?.pollTiming?.validation;
    expect(validation?.readyMs).toBeGreaterThanOrEqual(45);
    expect(validation?.readyMs).toBeLessThan(5_000);
    // Pebble may finish issuing within the finalize itself: then no issuance poll, and no note.
    if (event?.pollTiming?.issuance) expect(event.pollTiming.issuance.readyMs).toBeGreaterThanOrEqual(45);
  });

  it('times the first validation poll from the notes: never before 1.25 × a recent still-pending poll', async () => {
    const store = new MemoryStore();
    await seed(store, { validation: { readyMs: 1_000, pendingMs: 800 } });
    await compose(store).ensure({ identifiers: ['slow.poll-timing.test'] });
    expect(gapAfter('challenge')).toBeGreaterThanOrEqual(950);
    // Late enough: the one poll found Pebble done.
    expect(proxy.count('order', 'POST')).toBeLessThanOrEqual(3);
  });

  it('polls sooner after notes of a fast CA; a configured initialDelayMs wins over them', async () => {
    const store = new MemoryStore();
    await seed(store, { validation: { readyMs: 400 } });
    await compose(store).ensure({ identifiers: ['learnt.poll-timing.test'] });
    // Where the recent first poll found the result (lower only after eight in a row).
    expect(gapAfter('challenge')).toBeGreaterThanOrEqual(380);
    proxy.clearLog();
    await compose(store, { initialDelayMs: 50 }).ensure({ identifiers: ['configured.poll-timing.test'] });
    expect(gapAfter('challenge')).toBeLessThan(250);
  });

  it('bounds a hostile note: a first poll a year away is held under the 10 s cap', async () => {
    const store = new MemoryStore();
    await seed(store, { validation: { readyMs: 3e10 }, issuance: 'x' });
    const started = Date.now();
    await compose(store).ensure({ identifiers: ['hostile.poll-timing.test'] });
    const gap = gapAfter('challenge');
    // Bounded to 10 s.
    expect(gap).toBeGreaterThanOrEqual(9_500);
    expect(gap).toBeLessThan(11_000);
    expect(Date.now() - started).toBeLessThan(15_000);
  }, 20_000);
});
