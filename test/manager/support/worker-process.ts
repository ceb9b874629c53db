/**
 * One certkeeper worker process for the multi-process tests, configured by CERTKEEPER_TEST_WORKER (JSON):
 * - mode "queue": PostgreSQL store + pg-boss queue, takes renewal jobs until SIGTERM;
 * - mode "ensure": embedded FileStore, one `ensure` (a cron-style `renew`), then exits;
 * - mode "daemon": embedded FileStore, `run()` over the configured set until SIGTERM.
 * dns-01 through pebble-challtestsrv, so every process can answer challenges. Each progress step and outcome is
 * printed as a JSON line. With `killAtPhase`, the process SIGKILLs itself the moment an order reaches that phase
 * (its state just persisted, the step not yet run): a crash exactly at a step boundary.
 */
import {
  type CertificateManager,
  createCertificateManager,
  type RenewalJobPayload,
  RenewalWorker,
} from '@certkeeper/manager';
import { FileStore, type Store } from '@certkeeper/store';
import { PgBossRenewalQueue, PostgresStore } from '@certkeeper/store-postgres';
import { challtestsrvDns01 } from '../../support/challtestsrv-dns01.js';

interface WorkerConfig {
  mode: 'queue' | 'ensure' | 'daemon';
  directoryUrl: string;
  caBundle: string;
  challtestsrvUrl: string;
  dnsServer: string;
  names: string[];
  connectionString?: string;
  schema?: string;
  jobsSchema?: string;
  storeDirectory?: string;
  killAtPhase?: string;
  killForName?: string;
  /** Renewal jobs each queue worker runs at once (default 2). */
  concurrency?: number;
  /** How often an idle queue worker polls (default 0.5 s). */
  pollingIntervalSeconds?: number;
}

const config = JSON.parse(process.env.CERTKEEPER_TEST_WORKER ?? '{}') as WorkerConfig;
// Peak memory, sampled, reported on a clean stop (for the benchmark's "peak memory per worker").
let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 250);
sampler.unref();
const print = (event: Record<string, unknown>) =>
  process.stdout.write(`${JSON.stringify({ pid: process.pid, at: Date.now(), ...event })}\n`);

async function main(): Promise<void> {
  const store: Store =
    config.mode === 'queue'
      ? await PostgresStore.open({ connectionString: config.connectionString!, schema: config.schema! })
      : await FileStore.open({ directory: config.storeDirectory! });
  const dns01 = challtestsrvDns01(config.challtestsrvUrl, config.dnsServer);
  const manager: CertificateManager = createCertificateManager({
    directoryUrl: config.directoryUrl,
    caBundle: config.caBundle,
    account: { contact: ['mailto:workers@example.test'] },
    store,
    solvers: [dns01],
    leaseTtlMs: 3000,
    metrics: false,
  });
  manager.events.on('progress', (progress) => {
    print({ event: 'progress', phase: progress.phase, names: progress.identifiers });
    if (
      config.killAtPhase === progress.phase &&
      (!config.killForName || progress.identifiers.includes(config.killForName))
    ) {
      process.kill(process.pid, 'SIGKILL');
    }
  });
  const stop = new AbortController();
  process.on('SIGTERM', () => stop.abort());
  if (config.mode === 'ensure') {
    const outcome = await manager.ensure({ identifiers: config.names });
    print({ event: 'outcome', type: outcome.type, joined: outcome.joined, reason: outcome.reason });
  } else if (config.mode === 'daemon') {
    manager.manage([{ identifiers: config.names }]);
    manager.events.on('issued', (o) => print({ event: 'outcome', type: o.type }));
    print({ event: 'ready' });
    await manager.run(stop.signal);
  } else {
    const queue = await PgBossRenewalQueue.start<RenewalJobPayload>({
      connectionString: config.connectionString!,
      schema: config.jobsSchema!,
      monitorIntervalSeconds: 1,
      pollingIntervalSeconds: config.pollingIntervalSeconds ?? 0.5,
      retryDelaySeconds: 1,
    });
    if (process.env.CERTKEEPER_BENCH_PHASES) {
      // For the benchmark's breakdown: when each job's ensure starts and ends.
      const ensure = manager.ensure.bind(manager);
      manager.ensure = async (request, options) => {
        print({ event: 'progress', phase: 'ensure-start', names: request.identifiers });
        try {
          return await ensure(request, options);
        } finally {
          print({ event: 'progress', phase: 'ensure-end', names: request.identifiers });
        }
      };
    }
    const worker = new RenewalWorker(manager, queue, { concurrency: config.concurrency ?? 2 });
    manager.events.on('issued', (o) => print({ event: 'outcome', type: o.type }));
    await worker.start();
    print({ event: 'ready' });
    await new Promise<void>((resolve) =>
      stop.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
    await worker.stop();
  }
  await manager.close();
  await store.close();
  print({ event: 'stats', peakRssMb: Math.round(Math.max(peakRss, process.memoryUsage().rss) / 1e5) / 10 });
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    print({ event: 'error', message: error instanceof Error ? error.message : String(error) });
    process.exit(1);
  },
);
