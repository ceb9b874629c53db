// ARI through the CLI: Pebble 2.4.0 has none, so the fault proxy adds `renewalInfo` to the directory and serves a
// suggested window. A fresh `renew` learns the window (one renewalInfo request), answers "fresh" until the moment
// chosen in it, and `status` says the next renewal comes from the CA's ARI window rather than the lifetime rule.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { faults } from '@certkeeper/testkit';
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
} from './support/cli-harness.js';

let dir: string;
let ca: TestCa;
const certkeeper = (...args: string[]) => runCli(args, { cwd: dir });

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('ari');
  ca = await startTestCa(dir);
  ca.proxy.addRule({
    kind: 'directory',
    action: faults.respond(async (_request, context) => {
      const upstream = await context.forward();
      return {
        status: 200,
        body: { ...upstream.json<object>(), renewalInfo: `${context.proxyUrl}/renewal-info` },
      };
    }),
  });
  ca.proxy.addRule({
    kind: 'renewalInfo',
    action: faults.respond(() => ({
      status: 200,
      headers: { 'retry-after': '21600' },
      body: { suggestedWindow: { start: '2030-01-01T00:00:00Z', end: '2030-01-02T00:00:00Z' } },
    })),
  });
  await writeFile(
    join(dir, 'certkeeper.yaml'),
    caConfig(ca, './data', 'certificates:\n  - names: [ari.test]\n'),
  );
}, 120_000);
afterAll(async () => {
  await ca?.close();
  await removeWorkdirs();
});

describe('certkeeper and the CA’s ARI window', () => {
  it('renew learns the window, stays fresh until the moment chosen in it, and status names the window', async () => {
    expect((await certkeeper('renew')).code).toBe(4);
    ca.proxy.clearLog();
    const fresh = await certkeeper('renew');
    expect(fresh.code, explain(fresh)).toBe(0);
    expect(fresh.stdout).toMatch(
      /^ari\.test: fresh, until 2030-01-01T\S+ \(ARI window 2030-01-01T00:00:00\.000Z – 2030-01-02T00:00:00\.000Z\); nothing to do$/m,
    );
    expect(ca.proxy.count('renewalInfo', 'GET')).toBe(1);

    // The window is stored with its Retry-After: the next renew asks nothing.
    ca.proxy.clearLog();
    expect((await certkeeper('renew')).code).toBe(0);
    expect(ca.proxy.count('renewalInfo')).toBe(0);

    const status = await certkeeper('status');
    const row = status.stdout.split('\n').find((line) => line.startsWith('ari.test'))!;
    expect(row).toMatch(/2030-01-01 \d\d:\d\dZ \(in \d+ d\) +the CA's ARI window/);
    expect(status.stdout).toContain(
      'renewal window: ARI window 2030-01-01T00:00:00.000Z – 2030-01-02T00:00:00.000Z',
    );
  });
});
