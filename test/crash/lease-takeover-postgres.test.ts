import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionString, requirePostgres, testSchema } from '../store/support/postgres.js';
import { type CrashCa, startCrashCa } from './support/crash-ca.js';
import { leaseTakeover } from './support/lease-takeover.js';

/**
 * kill -9 of the process holding a certificate's lease in PostgreSQL, seen from another host (two processes with
 * lease holders for host-a and host-b): no pid can be checked across hosts, so the lease runs out — 30 s after its
 * last renewal — and the waiting run takes over then, having said who held it.
 */
describe('a lease whose holder was killed (PostgreSQL, two hosts)', () => {
  let ca: CrashCa;
  const { schema, drop } = testSchema('lease');
  beforeAll(async () => {
    await requirePostgres();
    ca = await startCrashCa('lease-pg');
  });
  afterAll(async () => {
    await ca?.stop();
    await drop();
  });

  it('is taken over within 35 s by the run on the other host, which said who held it', async () => {
    const config = (host: string) =>
      ca.config(['held-pg.example.test'], {
        postgres: { connectionString, schema },
        leaseHolder: { description: 'certkeeper renew', host },
      });
    const result = await leaseTakeover(ca.proxy, config('host-a'), config('host-b'));
    expect(result.reported.holder, result.explain).toBe(
      `process ${result.holderPid} on host-a (certkeeper renew)`,
    );
    expect(result.takeoverMs, result.explain).toBeLessThan(35_000);
    expect(result.outcome?.type, result.explain).toBe('issued');
    expect(result.atCa).toEqual({ newOrders: 1, certificates: 1 });
    console.log(`takeover after kill -9 across hosts (PostgreSQL): ${result.takeoverMs} ms`);
  }, 180_000);
});
