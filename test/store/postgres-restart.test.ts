import { PgBossRenewalQueue, PostgresStore } from '@certkeeper/store-postgres';
import { certificateRecord } from '@certkeeper/testkit/store-conformance';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionString, requirePostgres, restartPostgres, testSchema } from './support/postgres.js';

const { schema, jobs, drop } = testSchema('restart');
beforeAll(requirePostgres);
afterAll(drop);

// A failover or an upgrade restarts the server under running workers: the pool drops dead connections, the
// store retries idempotent calls, pg-boss's worker loop reports the failed fetches and goes on.
describe('PostgreSQL restarted in the middle of a run', () => {
  it('store and queue reconnect and every enqueued job is processed', async () => {
    const errors: Error[] = [];
    const pool = new pg.Pool({ connectionString, max: 8 });
    pool.on('error', (error: Error) => errors.push(error));
    const store = await PostgresStore.open({ pool, schema, retry: { timeoutMs: 30_000 } });
    const queue = await PgBossRenewalQueue.start<{ n: number }>({
      pool,
      schema: jobs,
      pollingIntervalSeconds: 0.5,
      retryDelaySeconds: 1,
      expireInSeconds: 5,
      monitorIntervalSeconds: 1,
      onError: (error) => errors.push(error),
    });
    try {
      const done = new Set<string>();
      await queue.work(
        async (job) => {
          await store.putCertificate(certificateRecord(job.key, job.payload.n));
          done.add(job.key);
        },
        { concurrency: 2 },
      );
      const keys = Array.from({ length: 40 }, (_, i) => `restart-${String(i).padStart(2, '0')}.test`);
      const producer = (async () => {
        for (const [n, key] of keys.entries()) {
          await queue.enqueue(key, { n: n + 1 });
          await new Promise((resolve) => setTimeout(resolve, 75));
        }
      })();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const restartedAt = Date.now();
      await restartPostgres();
      const restartMs = Date.now() - restartedAt;
      await producer;
      // A direct store call right after the restart works (the pool opened fresh connections).
      await store.putBackoff({
        key: 'after-restart',
        retryAt: new Date().toISOString(),
        reason: 'x',
        failures: 1,
        updatedAt: new Date().toISOString(),
      });
      expect((await store.getBackoff('after-restart'))?.failures).toBe(1);
      const deadline = Date.now() + 40_000;
      while (done.size < keys.length && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 200));
      expect([...done].sort()).toEqual(keys);
      const stored = await store.listCertificates({ afterKey: 'restart-', limit: 100 });
      expect(stored.map((record) => record.key)).toEqual(keys);
      // The restart was felt (the pool saw its connections cut), so this run did exercise recovery.
      expect(errors.length, `restart took ${restartMs} ms but no connection error was seen`).toBeGreaterThan(
        0,
      );
    } finally {
      await queue.stop();
      await store.close();
      await pool.end();
    }
  }, 90_000);
});
