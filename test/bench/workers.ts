import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { renewalJobKey } from '@certkeeper/manager';
import { PgBossRenewalQueue, PostgresStore } from '@certkeeper/store-postgres';
import { startPebble } from '@certkeeper/testkit';
import { WorkerProcess, waitUntil } from '../manager/support/worker-handle.js';
import { connectionString, requirePostgres, testSchema } from '../store/support/postgres.js';

type Emit = (bench: string, figures: Record<string, unknown>) => void;
const run = promisify(execFile);

/**
 * Issue 6's figure: `count` certificates from Pebble through four worker processes sharing PostgreSQL and the
 * pg-boss queue (dns-01 through challtestsrv).
 */
export async function benchWorkers(
  emit: Emit,
  count = 1000,
  concurrency = 2,
  pollingIntervalSeconds = 0.5,
): Promise<void> {
  await requirePostgres();
  const pebble = await startPebble();
  const { schema, jobs, drop } = testSchema('bench');
  const store = await PostgresStore.open({ connectionString, schema });
  const queue = await PgBossRenewalQueue.start({ connectionString, schema: jobs });
  const config = {
    mode: 'queue',
    directoryUrl: pebble.directoryUrl,
    caBundle: pebble.caBundlePem,
    challtestsrvUrl: pebble.challtestsrv.url,
    dnsServer: `127.0.0.1:${pebble.dnsPort}`,
    connectionString,
    schema,
    jobsSchema: jobs,
    concurrency,
    pollingIntervalSeconds,
  };
  const workers = Array.from({ length: 4 }, () => new WorkerProcess(config));
  try {
    await Promise.all(workers.map((w) => w.waitFor((e) => e.event === 'ready', 60_000)));
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      const names = [`w${i}.bench.example.test`];
      await queue.enqueue(renewalJobKey({ identifiers: names }), { request: { identifiers: names } });
    }
    let stored = 0;
    await waitUntil(
      async () => {
        stored = (await store.listCertificates({ limit: count + 1 })).length;
        return stored >= count;
      },
      `${count} certificates`,
      30 * 60_000,
    );
    const minutes = (performance.now() - started) / 60_000;
    if (process.env.CERTKEEPER_BENCH_PHASES) {
      // Where a certificate's time goes: from one progress phase to the next, per certificate, medians.
      const gaps = new Map<string, number[]>();
      for (const worker of workers) {
        const last = new Map<string, { phase: string; at: number }>();
        for (const e of worker.events) {
          if (e.event !== 'progress') continue;
          const name = String(e.names);
          const previous = last.get(name);
          if (previous) {
            const step = `${previous.phase}→${String(e.phase)}`;
            gaps.set(step, [...(gaps.get(step) ?? []), Number(e.at) - previous.at]);
          }
          last.set(name, { phase: String(e.phase), at: Number(e.at) });
        }
      }
      // Share of the run each process had all its slots busy with an ensure.
      for (const worker of workers) {
        let inFlight = 0;
        let busyFrom = 0;
        let busy = 0;
        const marks = worker.events.filter((e) => e.phase === 'ensure-start' || e.phase === 'ensure-end');
        for (const e of marks) {
          if (e.phase === 'ensure-start' && ++inFlight === concurrency) busyFrom = Number(e.at);
          if (e.phase === 'ensure-end' && inFlight-- === concurrency) busy += Number(e.at) - busyFrom;
        }
        const span = Number(marks.at(-1)?.at) - Number(marks[0]?.at);
        console.error('all slots busy', Math.round((busy / span) * 100), '% of', span, 'ms');
      }
      for (const [step, values] of gaps) {
        values.sort((a, b) => a - b);
        console.error(
          step,
          values.length,
          'median',
          values[values.length >> 1],
          'p90',
          values[Math.floor(values.length * 0.9)],
        );
      }
    }
    await Promise.all(workers.map((w) => w.stop()));
    const peaks = workers.map((w) => w.events.find((e) => e.event === 'stats')?.peakRssMb ?? null);
    emit('workers-postgres-issuance', {
      certificates: stored,
      workers: 4,
      concurrencyPerWorker: concurrency,
      pollingIntervalSeconds,
      minutes: Math.round(minutes * 100) / 100,
      certificatesPerMinute: Math.round(stored / minutes),
      peakRssMbPerWorker: peaks,
      perWorker: workers.map((w) => w.events.filter((e) => e.event === 'outcome').length),
    });
  } finally {
    await Promise.all(workers.map((w) => w.stop()));
    await queue.stop();
    await store.close();
    await drop();
    await pebble.stop();
  }
}

/** The store figures (test/store/bench-store.ts) in their own process: write latency, ledger, both sweeps over 100 000. */
export async function benchStores(): Promise<void> {
  const script = new URL('../store/bench-store.ts', import.meta.url).pathname;
  const { stdout } = await run(
    process.execPath,
    ['--expose-gc', '--conditions=@certkeeper/source', '--import', 'tsx', script],
    {
      maxBuffer: 16 * 1024 * 1024,
      timeout: 20 * 60_000,
    },
  );
  for (const line of stdout.split('\n').filter((l) => l.startsWith('{'))) console.log(line);
}
