// The built CLI SIGKILLed right before each rename, unlink, rm and symlink it makes under the store's `live/`
// directory, then the plain cron `renew` run once: whatever point the kill hit, `live/<name>/` serves the stored
// certificate with its own key, and the run after the kill ordered nothing. Two starting points: a first issuance
// (the name is created), and a grown name set (the name moves to the newer certificate: right after the kill it
// serves one whole set, old or new, never a key of one with the certificate of the other).
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { certificateMatchesKey, importCertificateKey, parseCertificate } from '@certkeeper/core';
import { FileStore } from '@certkeeper/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caConfig,
  ensureCliBuilt,
  explain,
  removeWorkdirs,
  runCli,
  startTestCa,
  type TestCa,
  workdir,
} from '../cli/support/cli-harness.js';
import { killPointEnv, readKillTrace } from '../support/kill-points.js';

let base: string;
let ca: TestCa;

beforeAll(async () => {
  await ensureCliBuilt();
  base = await workdir('live-links');
  ca = await startTestCa(base);
}, 120_000);
afterAll(async () => {
  await ca?.close();
  await removeWorkdirs();
});

const config = (names: string) => caConfig(ca, './data', `certificates:\n  - names: [${names}]\n`);

async function workspace(seed?: string, names = 'live.test'): Promise<string> {
  const dir = await mkdtemp(join(base, 'run-'));
  if (seed) await cp(seed, dir, { recursive: true, verbatimSymlinks: true });
  await writeFile(join(dir, 'certkeeper.yaml'), config(names));
  return dir;
}

const newOrders = () => ca.proxy.log.filter((e) => e.kind === 'newOrder' && e.method === 'POST').length;

/** What live/live.test serves, and whether it is the newest stored certificate with live.test first. */
async function observed(dir: string) {
  const store = await FileStore.open({ directory: join(dir, 'data') });
  const records = await store.listCertificates({ limit: 10 }).finally(() => store.close());
  const newest = records
    .filter((r) => r.identifiers[0]?.value === 'live.test')
    .sort((a, b) => Date.parse(b.notBefore) - Date.parse(a.notBefore))[0];
  const live = join(dir, 'data/live/live.test');
  const pem = await readFile(join(live, 'fullchain.pem'), 'utf8').catch(() => '');
  const keyPem = await readFile(join(live, 'privkey.pem'), 'utf8').catch(() => '');
  const cert = pem ? parseCertificate(pem) : undefined;
  return {
    serves: cert !== undefined,
    matches: cert && keyPem ? certificateMatchesKey(cert, importCertificateKey(keyPem)) : false,
    isNewest: newest ? pem === newest.certificatePem && keyPem === newest.keyPem : false,
  };
}

async function killAtEveryLiveWrite(name: string, prepare: () => Promise<string>): Promise<number> {
  const traced = await prepare();
  const trace = join(traced, 'trace.txt');
  const run = await runCli(['renew'], {
    cwd: traced,
    env: killPointEnv({ trace, match: join(traced, 'data/live') }),
  });
  expect(run.code, explain(run)).toBe(4);
  const points = await readKillTrace(trace);
  expect(points.length, `${name}: live/ writes traced`).toBeGreaterThan(2);
  for (const point of points) {
    const dir = await prepare();
    const where = `${name}: killed before ${point.op} ${point.paths.map((p) => p.replace(dir, '')).join(' ')} (${point.n} of ${points.length})`;
    const killed = await runCli(['renew'], {
      cwd: dir,
      env: killPointEnv({ at: point.n, match: join(dir, 'data/live') }),
    });
    expect(killed.signal, `${where}: not killed\n${explain(killed)}`).toBe('SIGKILL');
    const mid = await observed(dir);
    expect(!mid.serves || mid.matches, `${where}: a mixed set right after the kill`).toBe(true);
    ca.proxy.clearLog();
    const rerun = await runCli(['renew'], { cwd: dir });
    expect(rerun.code, `${where}: the cron renew after it\n${explain(rerun)}`).toBe(0);
    expect(newOrders(), `${where}: orders at Pebble`).toBe(0);
    expect(await observed(dir), where).toEqual({ serves: true, matches: true, isNewest: true });
    await rm(dir, { recursive: true, force: true });
  }
  return points.length;
}

describe('kill -9 at every write of a live/ switch', () => {
  it('live/<name> always serves a whole set, and the next cron run makes it the stored one without ordering', async () => {
    const started = performance.now();
    const seed = await workspace();
    const first = await runCli(['renew'], { cwd: seed });
    expect(first.code, explain(first)).toBe(4);
    expect(await observed(seed)).toEqual({ serves: true, matches: true, isNewest: true });
    const counts = {
      'first issuance': await killAtEveryLiveWrite('first issuance', () => workspace()),
      'grown name set': await killAtEveryLiveWrite('grown name set', () =>
        workspace(seed, 'live.test, www.live.test'),
      ),
    };
    console.log(
      JSON.stringify({
        figure: 'live/ switch kill points',
        ...counts,
        seconds: Math.round((performance.now() - started) / 1000),
      }),
    );
  }, 400_000);
});
