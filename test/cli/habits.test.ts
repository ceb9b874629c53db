// The habits a certbot or lego user brings, through the built binary against Pebble: `renew <names…>` renews only
// the certificate for exactly those names, and an unknown set is refused before anything is sent to the CA.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  caConfig,
  ensureCliBuilt,
  explain,
  removeWorkdirs,
  runCli,
  significantRequests,
  startTestCa,
  type TestCa,
  workdir,
} from './support/cli-harness.js';

let dir: string;
let ca: TestCa;
const certkeeper = (...args: string[]) => runCli(args, { cwd: dir });
const orders = () => ca.proxy.log.filter((e) => e.kind === 'newOrder' && e.method === 'POST').length;

beforeAll(async () => {
  await ensureCliBuilt();
  dir = await workdir('habits');
  ca = await startTestCa(dir);
  await writeFile(
    join(dir, 'certkeeper.yaml'),
    caConfig(
      ca,
      './data',
      `certificates:
  - names: [one.habit.test]
  - names: [two.habit.test, www.two.habit.test]
`,
    ),
  );
}, 120_000);
afterAll(async () => {
  await ca?.close();
  await removeWorkdirs();
});

describe('renew <names…>', () => {
  it('renews only the certificate for exactly these names: configured, or made by issue', async () => {
    const first = await certkeeper('renew');
    expect(first.code, explain(first)).toBe(4);
    const issued = await certkeeper('issue', 'three.habit.test');
    expect(issued.code, explain(issued)).toBe(0);

    ca.proxy.clearLog();
    // Order and case of the names do not matter; only this set is touched.
    const two = await certkeeper('renew', '--force', 'WWW.two.habit.test', 'two.habit.test');
    expect(two.code, explain(two)).toBe(4);
    expect(two.stdout).toMatch(/^two\.habit\.test, www\.two\.habit\.test: renewed/m);
    expect(two.stdout).not.toContain('one.habit.test');
    expect(two.stdout).not.toContain('three.habit.test');
    expect(orders()).toBe(1);

    ca.proxy.clearLog();
    const three = await certkeeper('renew', '--force', 'three.habit.test');
    expect(three.code, explain(three)).toBe(4);
    expect(three.stdout).toMatch(/^three\.habit\.test: renewed/m);
    expect(orders()).toBe(1);

    // Without --force, a fresh one is a no-op that asks the CA nothing.
    ca.proxy.clearLog();
    const fresh = await certkeeper('renew', 'one.habit.test');
    expect(fresh.code, explain(fresh)).toBe(0);
    expect(fresh.stdout).toMatch(/^one\.habit\.test: fresh/m);
    expect(significantRequests(ca.proxy)).toEqual([]);
  }, 120_000);

  it('refuses a set no certificate has (a subset included) with exit 2, before asking the CA', async () => {
    ca.proxy.clearLog();
    for (const names of [['nope.habit.test'], ['two.habit.test']]) {
      const result = await certkeeper('renew', ...names);
      expect(result.code, explain(result)).toBe(2);
      expect(result.stderr).toContain(`No certificate for exactly ${names.join(', ')} is configured`);
      expect(result.stderr).toContain('certkeeper status');
    }
    expect(significantRequests(ca.proxy)).toEqual([]);
  }, 60_000);
});
