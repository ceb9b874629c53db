/**
 * Cold start of the built CLI alone (issue 13; `pnpm bench` runs the same cases): `node -e 0`, `certkeeper --help`,
 * a fresh no-op `renew` of 10 stored certificates and S1 (`issue`, one name, new account), medians of --runs.
 *
 *   node --conditions=@certkeeper/source --import tsx test/bench/cold-start.ts [--runs 7] [--compare <cli.js>]
 *
 * --compare runs another build of the CLI (e.g. an older dist copied beside a package.json and a node_modules link)
 * in alternation with this one, on the same store, so a before/after comparison meets the same machine load.
 */
import { parseArgs } from 'node:util';
import { benchColdStart } from './cold-start-cases.js';

const { values: flags } = parseArgs({
  options: { runs: { type: 'string', default: '7' }, compare: { type: 'string' } },
});
await benchColdStart((bench, figures) => console.log(JSON.stringify({ bench, ...figures })), {
  runs: Number(flags.runs),
  ...(flags.compare ? { compare: flags.compare } : {}),
});
