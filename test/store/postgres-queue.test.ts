import type { RenewalJob } from '@certkeeper/store';
import { PgBossRenewalQueue } from '@certkeeper/store-postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChild } from './support/child-process.js';
import { connectionString, requirePostgres, sql, testSchema } from './support/postgres.js';

const { jobs: schema, drop } = testSchema('queue');
beforeAll(requirePostgres);
afterAll(drop);

const jobsFor = (queue: string, key: string) =>
  sql<{ state: string; count: string }>(
    `SELECT state, count(*) FROM "${schema}".job WHERE name = $1 AND singleton_key = $2 GROUP BY state`,
    [queue, key],
  );

describe('PgBossRenewalQueue', () => {
  it('coalesces 100 enqueues of one key from 4 processes starting at once into one job', async () => {
    const startAt = String(Date.now() + 3_000);
    const children = [0, 1, 2, 3].map(() =>
      startChild('./postgres-child.ts', ['enqueue', startAt, schema, 'coalesce', 'renew:example.test', '25']),
    );
    const exits = await Promise.all(children.map((child) => child.exited));
    for (const [i, exit] of exits.entries()) expect(exit.code, children[i]!.stderr()).toBe(0);
    const results = children.flatMap((child) =>
      child.lines.filter((line) => line.startsWith('ack enqueued ')),
    );
    expect(results).toHaveLength(100);
    expect(results.filter((line) => !line.endsWith('coalesced'))).toHaveLength(1);
    expect(await jobsFor('coalesce', 'renew:example.test')).toEqual([{ state: 'created', count: '1' }]);
  }, 60_000);

  it('runs a delayed job not before its time, and other keys are not held back by it', async () => {
    const queue = await PgBossRenewalQueue.start<{ n: number }>({
      connectionString,
      schema,
      queue: 'delayed',
      pollingIntervalSeconds: 0.5,
    });
    try {
      const ran: { key: string; at: number }[] = [];
      const startAfter = new Date(Date.now() + 3_000);
      expect(await queue.enqueue('later.test', { n: 1 }, { startAfter })).toBeTypeOf('string');
      // Coalesced into the delayed job: a burst during a Retry-After wait collapses into the one retry.
      expect(await queue.enqueue('later.test', { n: 2 })).toBeUndefined();
      expect(await queue.enqueue('now.test', { n: 3 })).toBeTypeOf('string');
      await queue.work(async (job) => {
        ran.push({ key: job.key, at: Date.now() });
      });
      const deadline = Date.now() + 10_000;
      while (ran.length < 2 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(ran.map((entry) => entry.key)).toEqual(['now.test', 'later.test']);
      expect(ran[1]!.at).toBeGreaterThanOrEqual(startAfter.getTime());
      expect(ran[0]!.at).toBeLessThan(startAfter.getTime());
    } finally {
      await queue.stop();
    }
  }, 30_000);

  it('keeps one new job for a key while its job runs, and retries a failed job', async () => {
    const queue = await PgBossRenewalQueue.start<{ n: number }>({
      connectionString,
      schema,
      queue: 'running',
      pollingIntervalSeconds: 0.5,
      retryDelaySeconds: 1,
    });
    try {
      const seen: RenewalJob<{ n: number }>[] = [];
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      await queue.enqueue('busy.test', { n: 1 });
      await queue.work(async (job) => {
        seen.push(job);
        if (job.payload.n === 1 && job.attempt === 0) {
          await gate;
          throw new Error('the CA was down');
        }
      });
      while (seen.length < 1) await new Promise((resolve) => setTimeout(resolve, 50));
      // While n=1 runs: one more job is kept (a request made during a run is not lost), the next coalesces.
      expect(await queue.enqueue('busy.test', { n: 2 })).toBeTypeOf('string');
      expect(await queue.enqueue('busy.test', { n: 3 })).toBeUndefined();
      release();
      const deadline = Date.now() + 15_000;
      while (seen.length < 3 && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 100));
      const runs = seen.map((job) => `${job.payload.n}#${job.attempt}`);
      expect(runs).toContain('2#0');
      expect(runs).toContain('1#1');
      expect(runs).toHaveLength(3);
    } finally {
      await queue.stop();
    }
  }, 30_000);
});
