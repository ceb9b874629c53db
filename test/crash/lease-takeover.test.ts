import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CrashCa, startCrashCa } from './support/crash-ca.js';
import { storeDirectory } from './support/crash-runs.js';
import { leaseTakeover } from './support/lease-takeover.js';

/**
 * kill -9 of the process holding a certificate's lease, on one host (FileStore): the lease names its holder by pid
 * and process start time, so the waiting run proves it dead and takes over at once — not after the lease's 30 s.
 */
describe('a lease whose holder was killed (FileStore, one host)', () => {
  let ca: CrashCa;
  beforeAll(async () => {
    ca = await startCrashCa('lease');
  });
  afterAll(async () => {
    await ca?.stop();
  });

  it('is taken over within 2 s by the run waiting for it, which said who held it', async () => {
    const directory = await storeDirectory(ca.base);
    const config = (description: string) =>
      ca.config(['held.example.test'], { storeDirectory: directory, leaseHolder: { description } });
    const result = await leaseTakeover(ca.proxy, config('certkeeper renew'), config('second run'));
    expect(result.reported.holder, result.explain).toBe(
      `process ${result.holderPid} on ${hostname()} (certkeeper renew)`,
    );
    expect(Date.parse(result.reported.until!)).toBeGreaterThan(result.reported.at);
    expect(result.takeoverMs, result.explain).toBeLessThan(2_000);
    expect(result.outcome?.type, result.explain).toBe('issued');
    expect(result.atCa).toEqual({ newOrders: 1, certificates: 1 });
    console.log(`takeover after kill -9 on one host: ${result.takeoverMs} ms`);
  }, 120_000);
});
