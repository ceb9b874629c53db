/**
 * Poll timing A/B (issue 13, first polls learnt per CA): one `certkeeper issue` of one name over http-01, as S1 of
 * `pnpm bench:peers`, with two builds of the CLI run alternately against one Pebble behind the counting proxy. Per
 * run: wall, CPU (GNU time), requests, and the gaps from the challenge answer and the finalize to the next order
 * poll. `--warm K` issues K certificates in a row on one store first (the ledger's notes then apply), and measures
 * the (K+1)th.
 *
 *   node --conditions=@certkeeper/source --import tsx test/bench/poll-timing-ab.ts --a <cli.js> --b <cli.js> [--runs 5] [--warm 0]
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startTestCa, type TestCa } from '../cli/support/cli-harness.js';
import { measure, median } from './peers/measure.js';
import { benchConfig, http01StandaloneSolver } from './peers/runners.js';

const { values: flags } = parseArgs({
  options: {
    a: { type: 'string' },
    b: { type: 'string' },
    runs: { type: 'string', default: '5' },
    warm: { type: 'string', default: '0' },
  },
});

interface Sample {
  wallMs: number;
  cpuMs: number;
  requests: number;
  validationGapMs: number;
  issuanceGapMs: number;
}

function gapAfter(ca: TestCa, kind: 'challenge' | 'finalize'): number {
  const log = ca.proxy.log;
  const posted = log.findIndex((e) => e.kind === kind && e.method === 'POST');
  if (posted < 0) return Number.NaN;
  const postedAt = log[posted]!.time.getTime() + log[posted]!.durationMs;
  const poll = log.slice(posted + 1).find((e) => e.kind === 'order');
  return poll ? poll.time.getTime() - postedAt : Number.NaN;
}

async function run(ca: TestCa, cli: string, work: string, name: string, warm: number): Promise<Sample> {
  const dir = await mkdtemp(join(work, 'run-'));
  await writeFile(join(dir, 'certkeeper.yaml'), benchConfig(ca, http01StandaloneSolver(ca)));
  const env = { PATH: process.env.PATH, HOME: join(work, 'home'), TERM: 'dumb' };
  const issue = (n: string) =>
    measure(process.execPath, [cli, 'issue', n], { cwd: dir, env, rssFile: join(dir, 'rss') });
  for (let k = 0; k < warm; k++) {
    const result = await issue(`w${k}.${name}`);
    if (result.code !== 0) throw new Error(result.output.slice(-2000));
  }
  ca.proxy.clearLog();
  const result = await issue(name);
  if (result.code !== 0) throw new Error(result.output.slice(-2000));
  const sample = {
    wallMs: result.wallMs,
    cpuMs: result.cpuMs,
    requests: ca.proxy.log.length,
    validationGapMs: gapAfter(ca, 'challenge'),
    issuanceGapMs: gapAfter(ca, 'finalize'),
  };
  await rm(dir, { recursive: true, force: true });
  return sample;
}

async function main(): Promise<void> {
  const runs = Number(flags.runs);
  const warm = Number(flags.warm);
  const clis = { A: flags.a!, B: flags.b! };
  const work = await mkdtemp(join(tmpdir(), 'certkeeper-poll-ab-'));
  const ca = await startTestCa(work);
  const samples: Record<string, Sample[]> = { A: [], B: [] };
  const loads: string[] = [];
  try {
    for (let r = 0; r < runs; r++) {
      for (const side of r % 2 === 0 ? (['A', 'B'] as const) : (['B', 'A'] as const)) {
        loads.push(loadavg()[0]!.toFixed(1));
        const sample = await run(ca, clis[side], work, `${side.toLowerCase()}${r}.ab.bench.test`, warm);
        samples[side]!.push(sample);
        console.error(side, r, JSON.stringify(sample));
      }
    }
  } finally {
    await ca.close();
    await rm(work, { recursive: true, force: true });
  }
  for (const side of ['A', 'B'] as const) {
    const list = samples[side]!;
    const m = (f: (s: Sample) => number) => median(list.map(f)).toFixed(0);
    console.log(
      `${side} (${clis[side]}): wall ${m((s) => s.wallMs)} ms, CPU ${m((s) => s.cpuMs)} ms, requests ${m((s) => s.requests)}, challenge→poll ${m((s) => s.validationGapMs)} ms, finalize→poll ${m((s) => s.issuanceGapMs)} ms (medians of ${list.length}, warm ${warm})`,
    );
  }
  console.log(`load average (1 min) at each run: ${loads.join(' ')}`);
}

await main();
