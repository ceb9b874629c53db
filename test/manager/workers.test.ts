import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ORDER_PHASES } from '@certkeeper/core';
import { renewalJobKey } from '@certkeeper/manager';
import { PgBossRenewalQueue, PostgresStore } from '@certkeeper/store-postgres';
import {
  type FaultProxy,
  faults,
  type PebbleHandle,
  startFaultProxy,
  startPebble,
} from '@certkeeper/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectionString, requirePostgres, restartPostgres, testSchema } from '../store/support/postgres.js';
import { WorkerProcess, waitUntil } from './support/worker-handle.js';

describe('many workers, one issuance (PostgreSQL store + pg-boss queue, embedded FileStore)', () => {
  let pebble: PebbleHandle;
  let proxy: FaultProxy;
  const ordered: string[][] = [];
  const { schema, jobs, drop } = testSchema('workers');
  let store: PostgresStore;
  let producer: PgBossRenewalQueue<{ request: { identifiers: string[] } }>;
  const workers: WorkerProcess[] = [];
  let base: Record<string, unknown>;

  const spawnWorker = (extra: Record<string, unknown> = {}) => {
    const worker = new WorkerProcess({ ...base, ...extra });
    workers.push(worker);
    return worker;
  };
  const submit = (names: string[]) =>
    producer.enqueue(renewalJobKey({ identifiers: names }), { request: { identifiers: names } });
  const ordersFor = (name: string) => ordered.filter((identifiers) => identifiers.includes(name)).length;
  const stored = async (name: string) =>
    (await store.listCertificates({ limit: 10_000 })).filter((c) =>
      c.identifiers.some((i) => i.value === name),
    ).length;

  beforeAll(async () => {
    await requirePostgres();
    pebble = await startPebble();
    proxy = await startFaultProxy({ target: pebble.directoryUrl, caBundlePem: pebble.caBundlePem });
    proxy.addRule({
      kind: 'newOrder',
      action: faults.respond(async (request, context) => {
        const payload = JSON.parse(request.jws?.payload ?? '{}') as { identifiers?: { value: string }[] };
        ordered.push((payload.identifiers ?? []).map((i) => i.value));
        const upstream = await context.forward();
        return {
          status: upstream.status,
          headers: upstream.headers as Record<string, string>,
          body: upstream.body,
        };
      }),
    });
    base = {
      mode: 'queue',
      directoryUrl: proxy.directoryUrl,
      caBundle: proxy.caBundlePem,
      challtestsrvUrl: pebble.challtestsrv.url,
      dnsServer: `127.0.0.1:${pebble.dnsPort}`,
      connectionString,
      schema,
      jobsSchema: jobs,
    };
    store = await PostgresStore.open({ connectionString, schema });
    producer = await PgBossRenewalQueue.start({
      connectionString,
      schema: jobs,
      maintenanceIntervalSeconds: 1,
      expireInSeconds: 4,
      retryDelaySeconds: 1,
    });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await producer?.stop();
    await store?.close();
    await drop();
    await proxy?.close();
    await pebble?.stop();
  });

  it('four workers and a producer sending 100 requests for one set: one order, one certificate', async () => {
    const fleet = [spawnWorker(), spawnWorker(), spawnWorker(), spawnWorker()];
    await Promise.all(fleet.map((w) => w.waitFor((e) => e.event === 'ready')));
    const names = ['fleet.example.test', 'www.fleet.example.test'];
    await Promise.all(Array.from({ length: 100 }, () => submit(names)));
    await waitUntil(async () => (await stored('fleet.example.test')) === 1, 'the certificate');
    // Requests arriving while the first job ran leave at most one more job, which finds the certificate fresh.
    await new Promise((r) => setTimeout(r, 3000));
    expect(ordersFor('fleet.example.test')).toBe(1);
    expect(await stored('fleet.example.test')).toBe(1);
    const issued = fleet.flatMap((w) => w.events).filter((e) => e.event === 'outcome');
    expect(issued).toHaveLength(1);
  }, 120_000);

  it('PostgreSQL restarted in the middle of a run: workers reconnect and finish, nothing lost', async () => {
    const sets = Array.from({ length: 20 }, (_, i) => [`pg-${i}.example.test`]);
    await Promise.all(sets.map((names) => submit(names)));
    // Restart as soon as any worker is working on one of them.
    await waitUntil(
      async () =>
        workers.some((w) =>
          w.events.some((e) => e.event === 'progress' && (e.names ?? []).some((n) => n.startsWith('pg-'))),
        ),
      'a worker to start on the sets',
    );
    const countStored = async () =>
      (await Promise.all(sets.map((names) => stored(names[0]!).catch(() => 0)))).reduce((a, b) => a + b, 0);
    const beforeRestart = await countStored();
    await restartPostgres();
    await waitUntil(
      async () => (await countStored().catch(() => 0)) === sets.length,
      'twenty certificates after the restart',
      90_000,
    );
    expect(beforeRestart).toBeLessThan(sets.length); // the restart really came mid-run
    for (const names of sets) expect(ordersFor(names[0]!)).toBe(1);
  }, 150_000);

  it('a worker killed at each step boundary in turn: another worker finishes from the stored state, no second order', async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    const phases = ORDER_PHASES.slice(
      ORDER_PHASES.indexOf('fetch-authorizations'),
      ORDER_PHASES.indexOf('done') + 1,
    );
    for (const phase of phases) {
      const name = `kill-${phase}.example.test`;
      const victim = spawnWorker({ killAtPhase: phase, killForName: name });
      await victim.waitFor((e) => e.event === 'ready');
      await submit([name]);
      const { signal } = await victim.exited;
      expect(signal).toBe('SIGKILL');
      expect(victim.events.filter((e) => e.event === 'progress').at(-1)?.phase).toBe(phase);
    }
    // Two fresh workers take over the ten abandoned jobs once the queue and the leases let go of the dead ones.
    spawnWorker();
    spawnWorker();
    await waitUntil(
      async () => {
        const counts = await Promise.all(phases.map((phase) => stored(`kill-${phase}.example.test`)));
        return counts.every((c) => c === 1);
      },
      'ten certificates finished by other workers',
      120_000,
    );
    for (const phase of phases) expect(ordersFor(`kill-${phase}.example.test`)).toBe(1);
  }, 240_000);

  it('embedded store: a daemon and three cron-style renew processes for one set make one issuance', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'certkeeper-embedded-'));
    try {
      const names = ['cron.example.test'];
      const embedded = { ...base, mode: 'ensure', storeDirectory: directory, names };
      const daemon = spawnWorker({ ...embedded, mode: 'daemon' });
      const crons = [spawnWorker(embedded), spawnWorker(embedded), spawnWorker(embedded)];
      const exits = await Promise.all(crons.map((c) => c.exited));
      expect(exits.map((e) => e.code)).toEqual([0, 0, 0]);
      await daemon.waitFor((e) => e.event === 'ready');
      await new Promise((r) => setTimeout(r, 1500));
      expect(ordersFor('cron.example.test')).toBe(1);
      const outcomes = crons.map((c) => c.events.find((e) => e.event === 'outcome')!);
      expect(outcomes.every((o) => ['issued', 'fresh'].includes(o.type!))).toBe(true);
      await daemon.stop();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }, 120_000);
});
