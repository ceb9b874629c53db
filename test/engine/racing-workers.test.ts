import {
  AcmeClient,
  CertkeeperError,
  ErrorCodes,
  generateAccountKey,
  ORDER_PHASES,
  type OrderPhase,
  parseCertificate,
  prepareOrder,
  runStep,
} from '@certkeeper/core';
import { FileStore } from '@certkeeper/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrashCa, startCrashCa } from '../crash/support/crash-ca.js';
import { challtestsrvDns01 } from '../support/challtestsrv-dns01.js';

/**
 * Two workers, each with its own client and its own copy of the state, drive one stored order at the same time
 * the way the core README says a job queue should: read the record and its revision, run one step, write with
 * compare-and-set, drop the job on STORE_CONFLICT (and let the queue deliver it again later). One order at the
 * CA, and no write ever stores an older state over a newer one.
 */
describe('two workers racing runStep on one stored order', () => {
  let ca: CrashCa;
  beforeAll(async () => {
    ca = await startCrashCa('racing');
  });
  afterAll(async () => {
    await ca?.stop();
  });

  it('one newOrder, one certificate, every stored state newer than the last', async () => {
    const { pebble, proxy } = ca;
    const store = await FileStore.open({ directory: ca.base });
    const accountKey = await generateAccountKey('ES256');
    const registration = new AcmeClient({
      directoryUrl: proxy.directoryUrl,
      caBundle: proxy.caBundlePem,
      accountKey,
    });
    const accountUrl = (await registration.accounts.create({ contact: ['mailto:race@example.test'] })).url;
    await registration.close();
    const key = 'race';
    const initial = await prepareOrder({
      directoryUrl: proxy.directoryUrl,
      accountUrl,
      identifiers: ['race.example.test', 'www.race.example.test'],
    });
    await store.putOrder({ key, state: initial, updatedAt: new Date().toISOString() }, 0);
    proxy.clearLog();

    const written: { revision: number; phase: OrderPhase; by: string }[] = [];
    let conflicts = 0;
    // Both first jobs read the order before either writes: a real race on the first step, every run.
    let arrived = 0;
    let bothRead!: () => void;
    const barrier = new Promise<void>((resolve) => (bothRead = resolve));
    const dns01 = challtestsrvDns01(pebble.challtestsrv.url, `127.0.0.1:${pebble.dnsPort}`);

    /** One worker: each "job" reads, steps, writes; a conflict or a throw ends the job and the queue redelivers it. */
    const worker = async (name: string) => {
      const client = new AcmeClient({
        directoryUrl: proxy.directoryUrl,
        caBundle: proxy.caBundlePem,
        accountKey,
        accountUrl,
      });
      try {
        for (let job = 0; job < 400; job++) {
          let record = await store.getOrder(key);
          if (job === 0 && ++arrived === 2) bothRead();
          if (job === 0) await barrier;
          while (record && record.state.phase !== 'done') {
            let result: Awaited<ReturnType<typeof runStep>>;
            try {
              result = await runStep(
                record.state,
                { client, solvers: [dns01] },
                { worker: `${name}-${job}` },
              );
            } catch {
              break; // the step changed nothing the state relies on: the job is retried later
            }
            try {
              record = await store.putOrder(
                { key, state: result.state, updatedAt: new Date().toISOString() },
                record.revision,
              );
            } catch (error) {
              if (!(CertkeeperError.isInstance(error) && error.code === ErrorCodes.STORE_CONFLICT))
                throw error;
              conflicts++;
              break; // another worker moved the order on: drop this job
            }
            written.push({ revision: record.revision, phase: result.state.phase, by: name });
            if (result.next.type === 'wait') break; // a delayed job; re-read below after a short pause
            if (result.next.type === 'failed')
              throw new Error(`the order failed: ${result.next.failure.message}`);
          }
          if ((await store.getOrder(key))?.state.phase === 'done') return;
          await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
        }
        throw new Error(`${name} gave up`);
      } finally {
        await client.close();
      }
    };

    await Promise.all([worker('a'), worker('b')]);
    const final = (await store.getOrder(key))!;
    await store.close();

    expect(final.state.phase).toBe('done');
    expect(parseCertificate(final.state.certificate!.pem).names).toContain('race.example.test');
    expect(proxy.count('newOrder', 'POST')).toBe(1);
    expect(proxy.log.filter((e) => e.kind === 'finalize' && e.status === 200)).toHaveLength(1);
    // The race was real: both recorded an intent on the same revision, and one of those writes lost.
    expect(conflicts).toBeGreaterThan(0);
    // No lost update: revisions are consecutive and the stored phase never moved back.
    const byRevision = [...written].sort((x, y) => x.revision - y.revision);
    expect(byRevision.map((w) => w.revision)).toEqual(byRevision.map((_, i) => i + 2));
    const phases = byRevision.map((w) => ORDER_PHASES.indexOf(w.phase));
    expect(phases).toEqual([...phases].sort((x, y) => x - y));
  }, 120_000);
});
