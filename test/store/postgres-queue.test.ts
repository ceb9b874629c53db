import type { RenewalJob } from '@certkeeper/store';
import { PgBossRenewalQueue } from '@certkeeper/store-postgres';
import PgBoss10 from 'pg-boss-10';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChild } from './support/child-process.js';
import { connectionString, requirePostgres, sql, testSchema } from './support/postgres.js';

const { jobs: schema, drop } = testSchema('queue');
const legacy = testSchema('legacy');
beforeAll(requirePostgres);
afterAll(async () => {
  await drop();
  await legacy.drop();
});

const until = async (done: () => boolean, timeoutMs: number) => {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
};

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

  it('gives the job of a worker killed mid-job to another within seconds (heartbeat), not after expireInSeconds', async () => {
    const queue = await PgBossRenewalQueue.start<{ n: number }>({
      connectionString,
      schema,
      queue: 'dead-worker',
      pollingIntervalSeconds: 0.5,
      monitorIntervalSeconds: 1,
      expireInSeconds: 900,
    });
    const victim = startChild('./postgres-child.ts', ['hang', String(Date.now()), schema, 'dead-worker']);
    try {
      await queue.enqueue('dead.test', { n: 1 });
      await victim.waitFor((line) => line === 'ack working dead.test');
      victim.process.kill('SIGKILL');
      const killedAt = Date.now();
      await victim.exited;
      const taken: RenewalJob<{ n: number }>[] = [];
      await queue.work(async (job) => {
        taken.push(job);
      });
      await until(() => taken.length > 0, 45_000);
      const seconds = (Date.now() - killedAt) / 1000;
      // heartbeat 10 s + monitor 1 s, then the first retry's delay (default 5 s, jittered up to 10 s).
      expect(taken.map((job) => `${job.key}#${job.attempt}`)).toEqual(['dead.test#1']);
      expect(seconds).toBeLessThan(30);
    } finally {
      victim.process.kill('SIGKILL');
      await queue.stop();
    }
  }, 60_000);

  it("carries a pg-boss 10 schema's waiting jobs over to pg-boss 12, then drops the old schema", async () => {
    const name = 'certkeeper-renewal';
    const old = new PgBoss10({ connectionString, schema: legacy.jobs, schedule: false, supervise: false });
    await old.start();
    await old.createQueue(name, { name, policy: 'stately' });
    await old.send(name, { key: 'done.test', payload: { n: 3 } }, { singletonKey: 'done.test' });
    const [finished] = await old.fetch(name);
    await old.complete(name, finished!.id);
    await old.send(name, { key: 'now.test', payload: { n: 1 } }, { singletonKey: 'now.test' });
    const laterAt = new Date(Date.now() + 4_000);
    await old.send(
      name,
      { key: 'later.test', payload: { n: 2 } },
      { singletonKey: 'later.test', startAfter: laterAt },
    );
    await old.stop({ graceful: false, wait: true });

    const queue = await PgBossRenewalQueue.start<{ n: number }>({
      connectionString,
      schema: legacy.jobs,
      pollingIntervalSeconds: 0.5,
    });
    try {
      const [installed] = await sql<{ version: number }>(`SELECT version FROM "${legacy.jobs}".version`);
      expect(Number(installed!.version)).toBeGreaterThan(24);
      expect(await sql(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [`${legacy.jobs}_pgboss10`])).toEqual(
        [],
      );
      // Still coalesced after the move: the carried job holds its key.
      expect(await queue.enqueue('now.test', { n: 4 })).toBeUndefined();
      const ran: { key: string; n: number; at: number }[] = [];
      await queue.work(async (job) => {
        ran.push({ key: job.key, n: job.payload.n, at: Date.now() });
      });
      await until(() => ran.length >= 2, 20_000);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(ran.map((job) => `${job.key}:${job.n}`)).toEqual(['now.test:1', 'later.test:2']);
      expect(ran[1]!.at).toBeGreaterThanOrEqual(laterAt.getTime());
    } finally {
      await queue.stop();
    }
  }, 60_000);
});
