import { hostname } from 'node:os';
import { describeLeaseHolder, leaseHolderId } from '@certkeeper/store';
import { PostgresStore } from '@certkeeper/store-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Child, startChild } from './support/child-process.js';
import { connectionString, requirePostgres, testSchema } from './support/postgres.js';

const { schema, drop } = testSchema('liveness');
beforeAll(async () => {
  await requirePostgres();
  await (await PostgresStore.open({ connectionString, schema })).close();
});
afterAll(drop);

const child = (...args: string[]) =>
  startChild('./postgres-child.ts', [args[0]!, String(Date.now()), schema, ...args.slice(1)]);

async function held(holder: Child) {
  const line = await holder.waitFor((text) => text.startsWith('held '));
  const [, token, expiresAt, ...id] = line.split(' ');
  return { token: Number(token), expiresAt: Date.parse(expiresAt!), holder: id.join(' ') };
}

describe('PostgresStore leases whose holder died', () => {
  it('on this host: a holder killed with SIGKILL is taken over at once, with a greater token', async () => {
    const store = await PostgresStore.open({ connectionString, schema });
    try {
      const holder = child('hold-lease', 'same-host', '60000');
      const lease = await held(holder);
      expect(describeLeaseHolder((await store.getLease('same-host'))!.holder)).toBe(
        `process ${holder.process.pid} on ${hostname()} (test holder)`,
      );
      expect(await store.acquireLease('same-host', leaseHolderId(), 60_000)).toBeUndefined();
      const killedAt = Date.now();
      holder.process.kill('SIGKILL');
      await holder.exited;
      const taken = await store.acquireLease('same-host', leaseHolderId(), 60_000);
      expect(taken?.token).toBe(lease.token + 1);
      expect(Date.now() - killedAt).toBeLessThan(2_000);
    } finally {
      await store.close();
    }
  });

  it('across hosts: a killed holder of host A is taken over by a process of host B after its 5 s lease', async () => {
    const holder = child('hold-lease', 'two-hosts', '5000', 'host-a.test');
    const lease = await held(holder);
    const waiter = child('wait-lease', 'two-hosts', '30000', 'host-b.test');
    await waiter.waitFor((line) => line === 'waiting');
    expect(Date.now(), 'host B started trying only after the lease had expired').toBeLessThan(
      lease.expiresAt,
    );
    holder.process.kill('SIGKILL');
    await holder.exited;
    const [, token, at] = (await waiter.waitFor((line) => line.startsWith('took '), 20_000)).split(' ');
    expect(Number(token)).toBeGreaterThan(lease.token);
    // Not before the lease expired (the database's clock is this machine's here), and soon after.
    expect(Number(at)).toBeGreaterThanOrEqual(lease.expiresAt - 20);
    expect(Number(at)).toBeLessThan(lease.expiresAt + 2_000);
    expect((await waiter.exited).code, waiter.stderr()).toBe(0);
  }, 60_000);
});
