import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { caConfig, cliPath, ensureCliBuilt, startTestCa } from '../cli/support/cli-harness.js';
import { measure, median } from './peers/measure.js';

type Emit = (bench: string, figures: Record<string, unknown>) => void;

export interface ColdStartOptions {
  /** Runs per case; the figures are medians. */
  readonly runs: number;
  /** Another build's cli.js, run in alternation with this one (a before/after under the same machine load). */
  readonly compare?: string;
}

/**
 * Cold start of the built CLI (issue 13), each case a new process: `node -e 0`, `certkeeper --help`, a fresh no-op
 * `renew` of 10 stored certificates, and S1 of `pnpm bench:peers` (`issue` of one name over http-01 with a new
 * account, in a new store each run): wall time and peak RSS (GNU time's %M), medians. HOME is kept between runs,
 * so the compile cache the CLI keeps there is warm after the first run, as on a real machine.
 */
export async function benchColdStart(emit: Emit, options: ColdStartOptions): Promise<void> {
  await ensureCliBuilt();
  const dir = await mkdtemp(join(tmpdir(), 'certkeeper-bench-cold-'));
  const home = join(dir, 'home');
  await mkdir(home);
  const ca = await startTestCa(dir);
  const env = { PATH: process.env.PATH, HOME: home, TERM: 'dumb' };
  const names = Array.from({ length: 10 }, (_, k) => `  - names: [c${k}.cold.test]`).join('\n');
  await writeFile(join(dir, 'certkeeper.yaml'), caConfig(ca, './data', `certificates:\n${names}\n`));
  const run = (args: string[], cwd = dir) =>
    measure(process.execPath, args, { cwd, env, rssFile: join(dir, 'rss') });
  let issued = 0;
  /** S1: a new directory (store, account) per run, one new name. */
  const issueOne = async (cli: string) => {
    const store = join(dir, `s1-${++issued}`);
    await mkdir(store);
    await writeFile(join(store, 'certkeeper.yaml'), caConfig(ca, './data'));
    return run([cli, 'issue', `s1-${issued}.cold.test`], store);
  };
  try {
    const first = await run([cliPath, 'renew']);
    if (first.code !== 4) throw new Error(`the first renew should issue 10 certificates:\n${first.output}`);
    const builds = { '': cliPath, ...(options.compare ? { ' (compare)': options.compare } : {}) };
    const cases: Record<string, () => ReturnType<typeof run>> = { 'node -e 0': () => run(['-e', '0']) };
    for (const [suffix, cli] of Object.entries(builds)) {
      cases[`certkeeper --help${suffix}`] = () => run([cli, '--help']);
      cases[`certkeeper renew, fresh no-op (10 certificates)${suffix}`] = () => run([cli, 'renew']);
      cases[`certkeeper issue, S1: one name, http-01, new account${suffix}`] = () => issueOne(cli);
    }
    const figures: Record<string, { wallMs: number[]; rssMb: number[]; cpuMs: number[] }> = {};
    for (let k = 0; k < options.runs; k++) {
      for (const [label, once] of Object.entries(cases)) {
        const result = await once();
        if (result.code !== 0) throw new Error(`${label} exited ${result.code}:\n${result.output}`);
        figures[label] ??= { wallMs: [], rssMb: [], cpuMs: [] };
        figures[label].wallMs.push(result.wallMs);
        figures[label].rssMb.push(result.rssMb);
        figures[label].cpuMs.push(result.cpuMs);
      }
    }
    for (const [label, { wallMs, rssMb, cpuMs }] of Object.entries(figures))
      emit('cold-start', {
        case: label,
        medianMs: Math.round(median(wallMs)),
        minMs: Math.round(Math.min(...wallMs)),
        // User + system CPU: unlike wall time, hardly moved by other processes on a shared machine.
        medianCpuMs: Math.round(median(cpuMs)),
        medianRssMb: Math.round(median(rssMb)),
        maxRssMb: Math.round(Math.max(...rssMb)),
        runs: options.runs,
      });
    emit('cold-start', { loadAverage: loadavg().map((l) => +l.toFixed(1)) });
  } finally {
    await ca.close();
    await rm(dir, { recursive: true, force: true });
  }
}
