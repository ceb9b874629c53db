// The built CLI SIGKILLed right before each rename, unlink, rm and symlink it makes in a certificate's `output`
// directory, then the plain cron `renew` run once: whatever point the kill hit, the output directory serves the
// stored certificate with its own key, the deploy hook ran exactly once for every certificate issued, and the run
// after the kill placed no order at Pebble (a repair, not a renewal). Three starting points: a first issuance into an
// empty directory, a renewal over the versioned layout, and the one-time conversion of a directory written by the
// old per-file layout.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  certificateMatchesKey,
  importCertificateKey,
  parseCertificate,
  splitPemChain,
} from '@certkeeper/core';
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
  base = await workdir('output-switch');
  ca = await startTestCa(base);
}, 120_000);
afterAll(async () => {
  await ca?.close();
  await removeWorkdirs();
});

/** A work directory: config (one certificate with output and hook), hook script, optionally a seeded store and output. */
async function workspace(seed?: string): Promise<string> {
  const dir = await mkdtemp(join(base, 'run-'));
  if (seed) await cp(seed, dir, { recursive: true, verbatimSymlinks: true });
  else {
    await writeFile(join(dir, 'hook.sh'), 'echo "$CERTKEEPER_SERIAL" >> hook.log\n');
    await writeFile(
      join(dir, 'certkeeper.yaml'),
      caConfig(
        ca,
        './data',
        'certificates:\n  - names: [switch.test]\n    output: ./out\n    deployHook: [sh, hook.sh]\n',
      ),
    );
  }
  return dir;
}

const newOrders = () => ca.proxy.log.filter((e) => e.kind === 'newOrder' && e.method === 'POST').length;

/** What the store holds and the output directory serves, and the serials the hook was run for. */
async function observed(dir: string) {
  const store = await FileStore.open({ directory: join(dir, 'data') });
  const [stored] = await store.listCertificates({ limit: 10 }).finally(() => store.close());
  const pem = await readFile(join(dir, 'out/fullchain.pem'), 'utf8').catch(() => '');
  const keyPem = await readFile(join(dir, 'out/privkey.pem'), 'utf8').catch(() => '');
  const cert = pem ? parseCertificate(pem) : undefined;
  const hooks = (await readFile(join(dir, 'hook.log'), 'utf8').catch(() => '')).split('\n').filter(Boolean);
  return {
    storedSerial: stored?.serialNumberHex,
    storedMatches: stored
      ? certificateMatchesKey(parseCertificate(stored.certificatePem), importCertificateKey(stored.keyPem!))
      : false,
    outputSerial: cert?.serialNumberHex,
    outputMatches: cert && keyPem ? certificateMatchesKey(cert, importCertificateKey(keyPem)) : false,
    outputIsStored: stored ? pem === stored.certificatePem && keyPem === stored.keyPem : false,
    hooks,
  };
}

interface Scenario {
  readonly name: string;
  /** A fresh work directory for one run. */
  prepare(): Promise<string>;
  /** The run that is killed (then traced once to find the points). */
  readonly args: readonly string[];
  /**
   * The switch is atomic here: right after the kill (before any repair), the output serves a whole set — the old
   * certificate with the old key, or the new with the new (or nothing yet, before a first switch). Not so inside
   * the one-time conversion from plain files, where the next run's repair is the guarantee.
   */
  readonly atomic: boolean;
}

/** Trace the scenario's output writes, then for each: kill there, run the cron line, check. Returns the points. */
async function killAtEveryOutputWrite(scenario: Scenario): Promise<number> {
  const traced = await scenario.prepare();
  const trace = join(traced, 'trace.txt');
  const run = await runCli(scenario.args, {
    cwd: traced,
    env: killPointEnv({ trace, match: join(traced, 'out') }),
  });
  expect(run.code, explain(run)).toBeLessThanOrEqual(4);
  const points = await readKillTrace(trace);
  expect(points.length, `${scenario.name}: output writes traced`).toBeGreaterThan(2);
  for (const point of points) {
    const dir = await scenario.prepare();
    const where = `${scenario.name}: killed before ${point.op} ${point.paths.map((p) => p.replace(dir, '')).join(' ')} (${point.n} of ${points.length})`;
    const hooksBefore = (await observed(dir)).hooks;
    ca.proxy.clearLog();
    const killed = await runCli(scenario.args, {
      cwd: dir,
      env: killPointEnv({ at: point.n, match: join(dir, 'out') }),
    });
    expect(killed.signal, `${where}: not killed\n${explain(killed)}`).toBe('SIGKILL');
    const orderedByKilled = newOrders();
    if (scenario.atomic) {
      const mid = await observed(dir);
      expect(
        mid.outputSerial === undefined || mid.outputMatches,
        `${where}: a mixed set right after the kill`,
      ).toBe(true);
    }
    ca.proxy.clearLog();
    const rerun = await runCli(['renew'], { cwd: dir });
    expect([0, 4], `${where}: the cron renew after it\n${explain(rerun)}`).toContain(rerun.code);
    const after = await observed(dir);
    expect(after, where).toMatchObject({ storedMatches: true, outputMatches: true, outputIsStored: true });
    // The run after a kill that came after the issuance repairs; it orders only when the kill came first.
    expect(orderedByKilled + newOrders(), `${where}: orders at Pebble`).toBeLessThanOrEqual(1);
    // The hook ran once for every certificate issued, the stored one last.
    expect(new Set(after.hooks).size, `${where}: hook runs ${after.hooks.join(' ')}`).toBe(
      after.hooks.length,
    );
    expect(after.hooks.at(-1), where).toBe(after.storedSerial);
    expect(after.hooks.length - hooksBefore.length, where).toBeLessThanOrEqual(1);
    await rm(dir, { recursive: true, force: true });
  }
  return points.length;
}

describe('kill -9 at every write of an output directory switch', () => {
  it('output and stored certificate and key always match, one hook run per issuance, no second order', async () => {
    const started = performance.now();
    // The seed: one issued certificate, deployed into the versioned layout.
    const seed = await workspace();
    const first = await runCli(['renew'], { cwd: seed });
    expect(first.code, explain(first)).toBe(4);
    // Renewed once more, so the next switch also removes a version (the previous one is kept).
    const renewed = await workspace(seed);
    const forced = await runCli(['renew', '--force'], { cwd: renewed });
    expect(forced.code, explain(forced)).toBe(4);
    // The same, with the output as the old per-file layout left it: four plain files of the stored certificate.
    const flat = await workspace(seed);
    const stored = await observed(flat);
    await rm(join(flat, 'out'), { recursive: true });
    await mkdir(join(flat, 'out'));
    const pem = await readFile(join(seed, 'out/fullchain.pem'), 'utf8');
    const [leaf = '', ...chain] = splitPemChain(pem);
    await writeFile(join(flat, 'out/fullchain.pem'), pem);
    await writeFile(join(flat, 'out/cert.pem'), leaf);
    await writeFile(join(flat, 'out/chain.pem'), chain.join(''));
    await writeFile(join(flat, 'out/privkey.pem'), await readFile(join(seed, 'out/privkey.pem'), 'utf8'), {
      mode: 0o600,
    });
    expect(stored.storedSerial).toBeDefined();

    const counts = {
      'first issuance': await killAtEveryOutputWrite({
        name: 'first issuance',
        prepare: () => workspace(),
        args: ['renew'],
        atomic: true,
      }),
      renewal: await killAtEveryOutputWrite({
        name: 'renewal',
        prepare: () => workspace(renewed),
        args: ['renew', '--force'],
        atomic: true,
      }),
      'conversion from plain files': await killAtEveryOutputWrite({
        name: 'conversion from plain files',
        prepare: () => workspace(flat),
        args: ['renew', '--force'],
        atomic: false,
      }),
    };
    console.log(
      JSON.stringify({
        figure: 'output switch kill points',
        ...counts,
        seconds: Math.round((performance.now() - started) / 1000),
      }),
    );
  }, 300_000);
});
