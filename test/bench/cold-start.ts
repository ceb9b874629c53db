/**
 * Cold start of the built CLI (issue 13): `node -e 0`, `certkeeper --help`, and a fresh no-op `renew` of 10
 * stored certificates, each a new process, medians of --runs (default 7). HOME is kept between runs, so a cache
 * the CLI keeps there is warm after the first run, as on a real machine.
 *
 *   node --conditions=@certkeeper/source --import tsx test/bench/cold-start.ts [--runs 7] [--compare <cli.js>]
 *
 * --compare runs another build of the CLI (e.g. an older dist copied beside it) in alternation with this one, on the
 * same store, so a before/after comparison meets the same machine load.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { caConfig, cliPath, ensureCliBuilt, startTestCa } from '../cli/support/cli-harness.js';
import { measure, median } from './peers/measure.js';

const { values: flags } = parseArgs({
  options: { runs: { type: 'string', default: '7' }, compare: { type: 'string' } },
});
const runs = Number(flags.runs);

await ensureCliBuilt();
const dir = await mkdtemp(join(tmpdir(), 'certkeeper-bench-cold-'));
const home = join(dir, 'home');
await mkdir(home);
const ca = await startTestCa(dir);
const env = { PATH: process.env.PATH, HOME: home, TERM: 'dumb' };
const names = Array.from({ length: 10 }, (_, k) => `  - names: [c${k}.cold.test]`).join('\n');
await writeFile(join(dir, 'certkeeper.yaml'), caConfig(ca, './data', `certificates:\n${names}\n`));
const run = (args: string[]) => measure(process.execPath, args, { cwd: dir, env, rssFile: join(dir, 'rss') });
try {
  const issued = await run([cliPath, 'renew']);
  if (issued.code !== 4) throw new Error(`the first renew should issue 10 certificates:\n${issued.output}`);
  const figures: Record<string, { wallMs: number[]; rssMb: number[] }> = {};
  const builds = { '': cliPath, ...(flags.compare ? { ' (compare)': flags.compare } : {}) };
  const cases: Record<string, string[]> = { 'node -e 0': ['-e', '0'] };
  for (const [suffix, cli] of Object.entries(builds)) {
    cases[`certkeeper --help${suffix}`] = [cli, '--help'];
    cases[`certkeeper renew, fresh no-op (10 certificates)${suffix}`] = [cli, 'renew'];
  }
  for (let k = 0; k < runs; k++) {
    for (const [label, args] of Object.entries(cases)) {
      const result = await run(args);
      if (result.code !== 0) throw new Error(`${label} exited ${result.code}:\n${result.output}`);
      figures[label] ??= { wallMs: [], rssMb: [] };
      figures[label].wallMs.push(result.wallMs);
      figures[label].rssMb.push(result.rssMb);
    }
  }
  for (const [label, { wallMs, rssMb }] of Object.entries(figures))
    console.log(
      JSON.stringify({
        bench: 'cold-start',
        case: label,
        medianMs: Math.round(median(wallMs)),
        minMs: Math.round(Math.min(...wallMs)),
        rssMb: Math.round(median(rssMb)),
        runs,
      }),
    );
  console.log(JSON.stringify({ bench: 'cold-start', loadAverage: loadavg().map((l) => +l.toFixed(1)) }));
} finally {
  await ca.close();
  await rm(dir, { recursive: true, force: true });
}
