/**
 * `pnpm bench`: each figure is one JSON line on stdout ({ bench, ...figures }). Runs against a local Pebble with
 * no validation delay (PEBBLE_VA_NOSLEEP=1), so the figures measure certkeeper, not the CA.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  AcmeClient,
  exportPrivateKeyPem,
  generateAccountKey,
  prepareOrder,
  runOrder,
} from '@certkeeper/core';
import { StandaloneHttp01Solver } from '@certkeeper/http01';
import { startPebble } from '@certkeeper/testkit';
import { benchCertificateParse, benchChainInspection, benchCsrCreate } from './certificate-parse.js';
import { benchColdStart } from './cold-start-cases.js';
import { benchDaemonMemory } from './daemon-memory.js';
import { benchDns01 } from './dns01.js';
import { benchOnDemand } from './ondemand.js';
import { benchPolicy } from './policy.js';
import { benchStatusPage } from './status-page.js';
import { benchStatusReport } from './status-report.js';
import { benchStores, benchWorkers } from './workers.js';

const run = promisify(execFile);
const emit = (bench: string, figures: Record<string, unknown>) =>
  console.log(JSON.stringify({ bench, ...figures }));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (value: number) => Math.round(value * 10) / 10;

/** The protocol minimum of HTTP requests for one certificate with http-01 (see docs/benchmarks.md). */
const minimumRequests = (names: number, newAccount: boolean) => (newAccount ? 10 : 9) + 3 * (names - 1);

async function main(): Promise<void> {
  // Find a free port, then keep the responder on it: the cold-process runs bind the same port in turn.
  const probe = new StandaloneHttp01Solver({ host: '127.0.0.1', port: 0 });
  const server = await probe.start();
  await probe.stop();
  const http01 = new StandaloneHttp01Solver({ host: '127.0.0.1', port: server.port });
  await http01.start();
  const pebble = await startPebble({ httpPort: server.port });
  emit('pebble-startup', { ms: pebble.startupMs });
  const accountKey = await generateAccountKey();
  const work = await mkdtemp(join(tmpdir(), 'certkeeper-bench-'));
  try {
    // New account: every request of a first run in a process.
    const fresh = new AcmeClient({
      directoryUrl: pebble.directoryUrl,
      caBundle: pebble.caBundlePem,
      accountKey,
    });
    const t0 = performance.now();
    const { url: accountUrl } = await fresh.accounts.create();
    await runOrder(
      await prepareOrder({
        directoryUrl: pebble.directoryUrl,
        accountUrl,
        identifiers: ['new-account.bench.test'],
      }),
      { client: fresh, solvers: [http01] },
    );
    emit('single-name-new-account', {
      ms: round(performance.now() - t0),
      requests: fresh.transport.stats.requests,
      minimum: minimumRequests(1, true),
    });
    await fresh.close();

    // Cold process, stored account: a new Node process per certificate.
    await http01.stop();
    const configPath = join(work, 'config.json');
    await writeFile(
      configPath,
      JSON.stringify({
        directoryUrl: pebble.directoryUrl,
        caBundle: pebble.caBundlePem,
        accountKeyPem: exportPrivateKeyPem(accountKey),
        accountUrl,
        httpPort: server.port,
      }),
    );
    const cold: { wallMs: number; issueMs: number; uptimeMs: number; requests: number }[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const { stdout } = await run(process.execPath, [
        new URL('./issue-once.mjs', import.meta.url).pathname,
        configPath,
        `cold-${i}.bench.test`,
      ]);
      cold.push({ wallMs: performance.now() - t, ...JSON.parse(stdout.trim().split('\n').pop()!) });
    }
    emit('single-name-cold-process', {
      runs: cold.length,
      medianWallMs: round(median(cold.map((c) => c.wallMs))),
      medianIssueMs: round(median(cold.map((c) => c.issueMs))),
      medianProcessUptimeMs: round(median(cold.map((c) => c.uptimeMs))),
      requests: cold[0]!.requests,
      minimum: minimumRequests(1, false),
    });
    await http01.start();

    const client = () =>
      new AcmeClient({
        directoryUrl: pebble.directoryUrl,
        caBundle: pebble.caBundlePem,
        accountKey,
        accountUrl,
      });
    // Ten names in one certificate.
    const tenRuns: { ms: number; requests: number }[] = [];
    for (let i = 0; i < 3; i++) {
      const acme = client();
      const t = performance.now();
      const names = Array.from({ length: 10 }, (_, n) => `n${n}.ten-${i}.bench.test`);
      await runOrder(
        await prepareOrder({ directoryUrl: pebble.directoryUrl, accountUrl, identifiers: names }),
        { client: acme, solvers: [http01] },
      );
      tenRuns.push({ ms: performance.now() - t, requests: acme.transport.stats.requests });
      await acme.close();
    }
    emit('ten-name-certificate', {
      runs: 3,
      medianMs: round(median(tenRuns.map((r) => r.ms))),
      requests: median(tenRuns.map((r) => r.requests)),
      minimum: minimumRequests(10, false),
    });

    // 50 single-name certificates, 10 at a time, sharing one client (one connection pool, one nonce pool).
    const shared = client();
    const t1 = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < 50) {
          const n = next++;
          await runOrder(
            await prepareOrder({
              directoryUrl: pebble.directoryUrl,
              accountUrl,
              identifiers: [`c${n}.fifty.bench.test`],
            }),
            { client: shared, solvers: [http01] },
          );
        }
      }),
    );
    const fiftyMs = performance.now() - t1;
    emit('fifty-certificates-concurrency-10', {
      totalMs: round(fiftyMs),
      certificatesPerSecond: round(50 / (fiftyMs / 1000)),
      requestsPerCertificate: round(shared.transport.stats.requests / 50),
      minimum: minimumRequests(1, false) - 1,
      note: 'directory and first newNonce are shared by the 50 orders',
    });
    await shared.close();
    await benchDns01(emit);
    await benchPolicy(emit);
    await benchCertificateParse(emit);
    await benchCsrCreate(emit);
    await benchChainInspection(emit);
    await benchStatusReport(emit);
    await benchStatusPage(emit);
    await benchOnDemand(emit);
    // As run by default, and as the shipped systemd unit runs it (a small V8 young generation).
    await benchDaemonMemory(emit, 1000);
    await benchDaemonMemory(emit, 1000, '--max-semi-space-size=4');
    await benchWorkers(emit, Number(process.env.CERTKEEPER_BENCH_WORKER_CERTS ?? 1000));
    await benchStores();
    // The built CLI in new processes, against its own Pebble: start-up time and peak RSS (docs/benchmarks.md).
    await benchColdStart(emit, { runs: 7 });
  } finally {
    await http01.stop();
    await pebble.stop();
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
