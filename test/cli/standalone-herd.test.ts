// Thirty `certkeeper issue --http-standalone` runs for one name in one store, started together against Pebble: they
// coalesce on the certificate's lease before any of them binds the responder's port, so the CA sees one newOrder
// and every run exits 0 (one issues, the others find it issued meanwhile). Before, 29 failed with EADDRINUSE.
// A port held by another program is still an error: typed, naming the port and the flag, exit 2, nothing ordered.

import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureCliBuilt,
  explain,
  jsonLines,
  removeWorkdirs,
  runCli,
  startTestCa,
  type TestCa,
  workdir,
} from './support/cli-harness.js';

const HERD = 30;

let dir: string;
let ca: TestCa;

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('herd');
  ca = await startTestCa(dir);
}, 120_000);

afterAll(async () => {
  await ca?.close();
  await removeWorkdirs();
});

/** `issue` with the standalone responder on Pebble's http-01 port, flags only (no config file). */
function issue(store: string, name: string, ...extra: string[]) {
  return runCli(
    [
      'issue',
      '--ca',
      ca.proxy.directoryUrl,
      '--ca-bundle',
      ca.caBundleFile,
      '--email',
      'ops@example.test',
      '--agree-tos',
      '--data-dir',
      store,
      '--http-standalone',
      '--http-listen',
      `127.0.0.1:${ca.httpPort}`,
      ...extra,
      name,
    ],
    { cwd: dir, timeoutMs: 240_000 },
  );
}

describe('standalone http-01: a herd joins one order', () => {
  it(`${HERD} concurrent issue runs for one name: 1 newOrder, ${HERD} × exit 0`, async () => {
    const before = ca.proxy.count('newOrder');
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: HERD }, () => issue('./herd-store', 'one.herd.test', '--json')),
    );
    const wallMs = Math.round(performance.now() - started);
    const outcomes = results.map((result) =>
      jsonLines(result.stdout).find((line) => line.event === 'outcome'),
    );
    const types = outcomes.map((outcome) => `${outcome?.type}${outcome?.joined ? ' (joined)' : ''}`);
    console.log(
      `${HERD} concurrent issue --http-standalone runs: wall ${wallMs} ms, slowest ${Math.max(...results.map((r) => r.ms))} ms; outcomes ${JSON.stringify(Object.fromEntries([...new Set(types)].map((type) => [type, types.filter((t) => t === type).length])))}`,
    );
    for (const result of results) expect(result.code, explain(result)).toBe(0);
    expect(ca.proxy.count('newOrder') - before).toBe(1);
    expect(results.some((r) => r.stderr.includes('EADDRINUSE') || r.stdout.includes('EADDRINUSE'))).toBe(
      false,
    );
    // One run issued; every other one found it issued — meanwhile under the lease, or already before it.
    expect(types.filter((type) => type === 'issued')).toHaveLength(1);
    expect(types.filter((type) => type.startsWith('fresh'))).toHaveLength(HERD - 1);
    // One certificate: every run reports the same one (fresh outcomes carry its end of validity, not its serial).
    expect(
      new Set(outcomes.map((outcome) => outcome?.notAfter)).size,
      JSON.stringify(outcomes.slice(0, 3)),
    ).toBe(1);
  }, 300_000);

  it('runs of one store for different names take turns on the port: every one issues, none fails', async () => {
    const names = ['a', 'b', 'c', 'd', 'e'].map((label) => `${label}.turns.herd.test`);
    const before = ca.proxy.count('newOrder');
    const results = await Promise.all(names.map((name) => issue('./turns-store', name, '--json')));
    for (const result of results) expect(result.code, explain(result)).toBe(0);
    const types = results.map((r) => jsonLines(r.stdout).find((line) => line.event === 'outcome')?.type);
    expect(types).toEqual(names.map(() => 'issued'));
    expect(ca.proxy.count('newOrder') - before).toBe(names.length);
  }, 300_000);

  it('a port held by another program: LISTEN_FAILED naming the port and --http-listen, exit 2, nothing ordered', async () => {
    const foreign: Server = createServer((_request, response) => response.end('not certkeeper'));
    await new Promise<void>((resolve) => foreign.listen(ca.httpPort, '127.0.0.1', resolve));
    try {
      const before = ca.proxy.count('newOrder');
      const result = await issue('./foreign-store', 'foreign.herd.test', '--json');
      expect(result.code, explain(result)).toBe(2);
      const outcome = jsonLines(result.stdout).find((line) => line.event === 'outcome');
      expect(outcome).toMatchObject({ type: 'failed', code: 'CERTKEEPER_ERR_LISTEN_FAILED' });
      const text = String(outcome?.reason);
      expect(text).toContain(
        `port ${ca.httpPort} is held by another program, not by a certkeeper run on this store (EADDRINUSE); nothing was ordered`,
      );
      expect(text).toContain('--http-listen <host:port>');
      expect(ca.proxy.count('newOrder') - before).toBe(0);
    } finally {
      await new Promise((resolve) => foreign.close(resolve));
    }
  }, 120_000);
});
