/**
 * `pnpm bench:peers` (issue 13): certkeeper beside node's acme-client, certbot and lego (when installed) on four
 * scenarios, against one local Pebble (PEBBLE_VA_NOSLEEP=1) behind the testkit's fault proxy, which counts every
 * request. Each client runs as its own process (start-up included), runs alternate between clients, and the
 * table shows medians of wall time and peak RSS, the requests of one run, and certkeeper ÷ the fastest peer.
 *
 *   pnpm bench:peers [--runs 3] [--only S1,S4] [--backoff-ms 250]
 */
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureCliBuilt, startTestCa } from '../cli/support/cli-harness.js';
import { serverCpuMs } from './peers/ca-cpu.js';
import { median } from './peers/measure.js';
import { allRunners, type Runner } from './peers/runners.js';
import { SCENARIOS } from './peers/scenarios.js';

const { values: flags } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    only: { type: 'string' },
    'backoff-ms': { type: 'string', default: '250' },
  },
});
const runs = Number(flags.runs);
const scenarios = SCENARIOS.filter((s) => !flags.only || flags.only.split(',').includes(s.id));

interface Sample {
  wallMs: number;
  rssMb: number;
  requests: number;
  /** CPU ms of the client's process(es), of Pebble with challtestsrv, and of this process (the counting proxy). */
  clientCpuMs: number;
  caCpuMs: number;
  proxyCpuMs: number;
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

async function main(): Promise<void> {
  await ensureCliBuilt();
  const work = await mkdtemp(join(tmpdir(), 'certkeeper-bench-peers-'));
  const home = join(work, 'home');
  const ca = await startTestCa(work);
  const execHook = join(work, 'challtestsrv-txt.sh');
  // present|cleanup <fqdn.> <value>: the exec plugin's and lego's protocol, against challtestsrv's management API.
  await writeFile(
    execHook,
    `#!/bin/sh
case "$1" in
  present) exec curl -sf -o /dev/null -d "{\\"host\\":\\"$2\\",\\"value\\":\\"$3\\"}" ${ca.pebble.challtestsrv.url}/set-txt ;;
  cleanup) exec curl -sf -o /dev/null -d "{\\"host\\":\\"$2\\"}" ${ca.pebble.challtestsrv.url}/clear-txt ;;
esac
`,
  );
  await chmod(execHook, 0o755);
  const caPids = [ca.pebble.pids.pebble, ca.pebble.pids.challtestsrv];
  const loadBefore = load();
  const runners = allRunners(Number(flags['backoff-ms']));
  for (const runner of runners) if (runner.unavailable) console.error(`note: ${runner.unavailable}`);
  const active = runners.filter((r) => !r.unavailable);
  const samples = new Map<string, Sample[]>();
  const failures: string[] = [];
  const started = performance.now();
  try {
    for (let run = 0; run < runs; run++) {
      for (const scenario of scenarios) {
        // Alternate: each round starts with the next client, so no client always meets a warm or cold machine.
        const order = active.map((_, k) => active[(k + run) % active.length]!);
        for (const runner of order) {
          const dir = await mkdtemp(join(work, `${scenario.id}-${runner.id}-`));
          const prefix = `${scenario.id}-${runner.id}-${run}`.toLowerCase();
          ca.proxy.clearLog();
          const serversBefore = serverCpuMs(caPids);
          const result = await runner.run({
            scenario,
            certificates: scenario.certificates(prefix),
            dir,
            home,
            ca,
            execHook,
          });
          const requests = ca.proxy.log.length;
          const serversAfter = serverCpuMs(caPids);
          const caCpuMs = serversAfter.caMs - serversBefore.caMs;
          const proxyCpuMs = serversAfter.proxyMs - serversBefore.proxyMs;
          if (result.code !== 0) {
            failures.push(`${scenario.id} ${runner.id} run ${run + 1}: exit ${result.code}`);
            console.error(`${scenario.id} ${runner.id}: exit ${result.code}\n${result.output.slice(-2000)}`);
            continue;
          }
          const key = `${scenario.id}/${runner.id}`;
          samples.set(key, [
            ...(samples.get(key) ?? []),
            {
              wallMs: result.wallMs,
              rssMb: result.rssMb,
              requests,
              clientCpuMs: result.cpuMs,
              caCpuMs,
              proxyCpuMs,
            },
          ]);
          console.error(
            `${scenario.id} ${runner.id} run ${run + 1}: ${(result.wallMs / 1000).toFixed(2)} s, ${result.rssMb.toFixed(0)} MB, ${requests} requests; CPU ms: client ${result.cpuMs}, CA ${caCpuMs}, proxy ${proxyCpuMs.toFixed(0)}`,
          );
          await rm(dir, { recursive: true, force: true });
        }
      }
    }
  } finally {
    await ca.close();
    await rm(work, { recursive: true, force: true });
  }
  console.log(table(active, samples));
  console.log(`\n${cpuTable(active, samples)}`);
  console.log(
    `\n${runs} runs per cell, medians; wall s / peak RSS MB / requests (median). Load average before: ${loadBefore}, after: ${load()}; ${Math.round((performance.now() - started) / 1000)} s in all.`,
  );
  for (const runner of runners) if (runner.unavailable) console.log(`- ${runner.unavailable}.`);
  for (const failure of failures) console.log(`- FAILED: ${failure}`);
  if (failures.length) process.exitCode = 1;
}

/**
 * Where each run's CPU went (medians, ms): the client, Pebble with challtestsrv, the counting proxy. Their sum over
 * the machine's cores is the shortest wall time a run could have here, whatever the client does with its waits.
 */
function cpuTable(runners: Runner[], samples: Map<string, Sample[]>): string {
  const cores = availableParallelism();
  const header = `| CPU ms per run: client / CA / proxy (floor on ${cores} cores) | ${runners.map((r) => r.label).join(' | ')} |`;
  const rule = `|${'---|'.repeat(runners.length + 1)}`;
  const rows = scenarios.map((scenario) => {
    const cells = runners.map((runner) => {
      const list = samples.get(`${scenario.id}/${runner.id}`);
      if (!list?.length) return 'failed';
      const [client, server, proxy] = (['clientCpuMs', 'caCpuMs', 'proxyCpuMs'] as const).map((field) =>
        median(list.map((s) => s[field])),
      ) as [number, number, number];
      return `${client.toFixed(0)} / ${server.toFixed(0)} / ${proxy.toFixed(0)} (${((client + server + proxy) / cores / 1000).toFixed(2)} s)`;
    });
    return `| ${scenario.id} | ${cells.join(' | ')} |`;
  });
  return [header, rule, ...rows].join('\n');
}

function table(runners: Runner[], samples: Map<string, Sample[]>): string {
  const peers = runners.filter((r) => !r.certkeeper);
  const header = `| scenario | minimum requests | ${runners.map((r) => r.label).join(' | ')} | certkeeper ÷ fastest peer |`;
  const rule = `|${'---|'.repeat(runners.length + 3)}`;
  const rows = scenarios.map((scenario) => {
    const wall = (runner: Runner) => {
      const list = samples.get(`${scenario.id}/${runner.id}`);
      return list?.length ? median(list.map((s) => s.wallMs)) : undefined;
    };
    const fastestPeer = Math.min(...peers.map((p) => wall(p) ?? Number.POSITIVE_INFINITY));
    const cells = runners.map((runner) => {
      const list = samples.get(`${scenario.id}/${runner.id}`);
      if (!list?.length) return 'failed';
      const text = `${(median(list.map((s) => s.wallMs)) / 1000).toFixed(2)} / ${median(list.map((s) => s.rssMb)).toFixed(0)} / ${median(list.map((s) => s.requests))}`;
      return wall(runner) === fastestPeer ? `**${text}**` : text;
    });
    const ratios = runners
      .filter((r) => r.certkeeper && wall(r) !== undefined && Number.isFinite(fastestPeer))
      .map((r) => `${r.id.replace('certkeeper-', '')} ${(wall(r)! / fastestPeer).toFixed(2)}×`)
      .join(', ');
    return `| ${scenario.id} ${scenario.title} | ${scenario.minimumRequests} | ${cells.join(' | ')} | ${ratios || '–'} |`;
  });
  return [header, rule, ...rows].join('\n');
}

await main();
