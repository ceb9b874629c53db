// `renew` works on several certificates at once (defaults.concurrency, --concurrency; default 4). Eight configured
// certificates, one run, against Pebble through the fault proxy: every one issued with exactly one order, never more
// than four under way (seen in the run's own begin/outcome events and in the order of the CA's requests), one
// account and one directory for all of them, and no more requests per certificate than one at a time takes — the
// standalone responder serves every order from one port. Ctrl-C (SIGTERM) with four orders in validation keeps all
// four, names each, and the next run resumes them without ordering them again.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { faults, type RequestLogEntry } from '@certkeeper/testkit';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  caConfig,
  ensureCliBuilt,
  explain,
  jsonLines,
  removeWorkdirs,
  runCli,
  spawnCli,
  startTestCa,
  type TestCa,
  workdir,
} from './support/cli-harness.js';

let dir: string;
let ca: TestCa;

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('concurrency');
  ca = await startTestCa(dir);
}, 120_000);
afterAll(async () => {
  await ca?.close();
  await removeWorkdirs();
});
beforeEach(() => ca.proxy.clearLog());

const namesOf = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `c${i + 1}.${prefix}.test`);

/** A config of one certificate per name (each with a second name, so an order has two authorizations). */
async function config(file: string, names: readonly string[], defaults = '') {
  const certificates = names.map((name) => `  - names: [${name}, www.${name}]\n`).join('');
  await writeFile(
    join(dir, file),
    caConfig(ca, `./data-${file.replace('.yaml', '')}`, `${defaults}certificates:\n${certificates}`),
  );
  return file;
}

/** The most certificates between `begin` and `outcome` at once, from a run's JSON lines. */
function mostUnderWay(events: readonly Record<string, unknown>[]): number {
  let open = 0;
  let most = 0;
  for (const event of events) {
    if (event.event === 'begin') most = Math.max(most, ++open);
    if (event.event === 'outcome') open--;
  }
  return most;
}

/** The most orders the CA had open at once: created (newOrder) and not yet downloaded (first cert request). */
function mostOrdersOpenAtCa(log: readonly RequestLogEntry[]): number {
  let open = 0;
  let most = 0;
  const downloaded = new Set<string>();
  for (const entry of log) {
    if (entry.kind === 'newOrder' && entry.status === 201) most = Math.max(most, ++open);
    if (entry.kind === 'cert' && entry.status === 200 && !downloaded.has(entry.path)) {
      downloaded.add(entry.path);
      open--;
    }
  }
  return most;
}

/** Requests by kind, as the CA saw them. */
function requestCounts(log: readonly RequestLogEntry[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const entry of log)
    counts[`${entry.method} ${entry.kind}`] = (counts[`${entry.method} ${entry.kind}`] ?? 0) + 1;
  return counts;
}

describe('renew with several certificates at once', () => {
  it('8 certificates, concurrency 4: all issued, one order each, at most 4 under way, no request more per certificate', async () => {
    const names = namesOf('four', 8);
    const file = await config('four.yaml', names, 'defaults:\n  concurrency: 4\n');
    const result = await runCli(['renew', '--json', '--config', file], { cwd: dir, timeoutMs: 240_000 });
    expect(result.code, explain(result)).toBe(4);
    const events = jsonLines(result.stdout);
    // An outcome line as each certificate finishes: all eight, each once.
    const outcomes = events.filter((event) => event.event === 'outcome');
    expect(outcomes.map((event) => (event.names as string[])[0]).sort()).toEqual([...names].sort());
    expect(outcomes.map((event) => event.type)).toEqual(names.map(() => 'issued'));
    // Every progress event names its certificate (they interleave).
    for (const event of events.filter((e) => e.event === 'progress'))
      expect(names.some((name) => (event.names as string[]).includes(name))).toBe(true);

    const log = ca.proxy.log;
    const counts = requestCounts(log);
    expect(counts['POST newOrder']).toBe(8);
    expect(counts['POST finalize']).toBe(8);
    // One account, one directory read and one newNonce for all eight: the one client they share.
    expect(counts['POST newAccount']).toBe(1);
    expect(counts['GET directory']).toBe(1);
    expect(counts['HEAD newNonce']).toBe(1);
    const underWay = mostUnderWay(events);

    const atCa = mostOrdersOpenAtCa(log);
    console.log(
      JSON.stringify({
        figure: 'renew of 8 certificates, concurrency 4',
        ms: result.ms,
        mostUnderWay: underWay,
        mostOrdersOpenAtCa: atCa,
        requests: log.length,
        counts,
      }),
    );
    expect(underWay).toBe(4);
    expect(atCa).toBeGreaterThan(1);
    expect(atCa).toBeLessThanOrEqual(4);

    // The same eight one at a time, on a store of their own: the concurrent run sent exactly the same requests.
    // Requests at the CA at once need a nonce each; one that finds the pool empty waits for the answer of a request
    // already on its way instead of asking newNonce.
    ca.proxy.clearLog();
    const serial = await config('serial.yaml', namesOf('serial', 8));
    const one = await runCli(['renew', '--json', '--concurrency', '1', '--config', serial], {
      cwd: dir,
      timeoutMs: 240_000,
    });
    expect(one.code, explain(one)).toBe(4);
    expect(mostUnderWay(jsonLines(one.stdout))).toBe(1);
    const serialCounts = requestCounts(ca.proxy.log);
    console.log(
      JSON.stringify({ figure: 'renew of 8 certificates, concurrency 1', ms: one.ms, counts: serialCounts }),
    );
    expect(counts).toEqual(serialCounts);
  }, 300_000);

  it('SIGTERM with four orders in validation: exit 143, each of the four kept and named; the next run resumes them', async () => {
    const names = namesOf('stop', 6);
    const file = await config('stop.yaml', names);
    // The challenge answers (two per order) never reach Pebble: four orders wait in validation until the run is stopped.
    const rule = ca.proxy.addRule({
      kind: 'challenge',
      method: 'POST',
      times: 8,
      action: faults.respond(() => new Promise(() => {})),
    });
    const child = spawnCli(['renew', '--json', '--config', file], { cwd: dir });
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    const stopChild = () => child.exitCode === null && child.kill('SIGKILL');
    const answering = () =>
      new Set(
        jsonLines(stdout)
          .filter((event) => event.phase === 'answer-challenges')
          .map((event) => (event.names as string[]).join(',')),
      ).size;
    while (answering() < 4) {
      if (Date.now() > deadline || child.exitCode !== null) {
        stopChild();
        rule.remove();
        throw new Error(`never reached validation:\n${stdout}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 300));
    const stopAt = performance.now();
    child.kill('SIGTERM');
    const code = await exited;
    const stopMs = Math.round(performance.now() - stopAt);
    rule.remove();
    expect(code, stdout).toBe(143);
    expect(stopMs).toBeLessThan(5000);
    const events = jsonLines(stdout);
    expect(events.filter((event) => event.event === 'outcome')).toEqual([]);
    const interrupted = events.at(-1)!;
    expect(interrupted).toMatchObject({ event: 'interrupted', signal: 'SIGTERM', exitCode: 143 });
    const stopped = interrupted.stopped as { names: string[]; kept: string }[];
    expect(stopped.map((entry) => entry.names[0])).toEqual(names.slice(0, 4));
    expect(stopped.map((entry) => entry.kept)).toEqual(['order', 'order', 'order', 'order']);
    expect(interrupted.notStarted).toEqual(names.slice(4).map((name) => [name, `www.${name}`]));
    expect(interrupted.message).toBe(
      `interrupted: the orders for ${names
        .slice(0, 4)
        .map((name) => `${name}, www.${name}`)
        .join('; ')} are kept; \`certkeeper renew\` resumes them; not started: ${names
        .slice(4)
        .map((name) => `${name}, www.${name}`)
        .join('; ')}`,
    );

    ca.proxy.clearLog();
    const resumed = await runCli(['renew', '--json', '--config', file], { cwd: dir, timeoutMs: 240_000 });
    expect(resumed.code, explain(resumed)).toBe(4);
    expect(
      jsonLines(resumed.stdout)
        .filter((event) => event.event === 'outcome')
        .map((event) => event.type),
    ).toEqual(names.map(() => 'issued'));
    // The four kept orders are finished, not placed again: only the two never started are ordered.
    expect(ca.proxy.count('newOrder', 'POST')).toBe(2);
    expect(ca.proxy.count('finalize', 'POST')).toBe(6);
  }, 300_000);

  it('--concurrency and defaults.concurrency outside 1..64 are refused before anything is done (exit 2)', async () => {
    const file = await config('bad.yaml', ['bad.conc.test']);
    const flag = await runCli(['renew', '--concurrency', '0', '--config', file], { cwd: dir });
    expect(flag.code, explain(flag)).toBe(2);
    expect(flag.stderr).toContain(
      '--concurrency "0": expected a whole number from 1 to 64 (certificates worked on at once); nothing was done.',
    );
    const configured = await config('bad-config.yaml', ['bad.conc.test'], 'defaults:\n  concurrency: 65\n');
    const fromConfig = await runCli(['renew', '--config', configured], { cwd: dir });
    expect(fromConfig.code, explain(fromConfig)).toBe(2);
    expect(fromConfig.stderr).toMatch(
      /defaults\.concurrency: expected a whole number from 1 to 64 \(certificates worked on at once\)/,
    );
    expect(ca.proxy.log).toEqual([]);
  });
});
