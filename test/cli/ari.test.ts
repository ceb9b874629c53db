// ARI and profiles through the CLI, served by Pebble 2.10 itself (the proxy only passes requests on and counts
// them). Pebble's management API sets the suggested window, so a fresh `renew` learns it (one renewalInfo request),
// answers "fresh" until the moment chosen in it, and `status` says the next renewal comes from the CA's window. A
// certificate issued with `--profile` keeps that profile when `renew` renews it from the store.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileStore } from '@certkeeper/store';
import { faults } from '@certkeeper/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ordersAtCa } from '../support/orders-at-ca.js';
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
  ca = await startTestCa(dir, {
    profiles: {
      classic: { validityPeriodSeconds: 90 * 24 * 3600 },
      shortlived: { validityPeriodSeconds: 160 * 3600 },
    },
  });
  await writeFile(
    join(dir, 'certkeeper.yaml'),
    caConfig(ca, './data', 'certificates:\n  - names: [ari.test]\n    output: ./out/ari\n'),
  );
}, 120_000);
afterAll(async () => {
  await ca?.close();
  await removeWorkdirs();
});

describe('certkeeper and the CA’s ARI window and profiles', () => {
  it('renew learns the window, stays fresh until the moment chosen in it, and status names the window', async () => {
    expect((await certkeeper('renew')).code).toBe(4);
    const fullchain = await readFile(join(dir, 'out/ari/fullchain.pem'), 'utf8');
    const window = { start: '2030-01-01T00:00:00Z', end: '2030-01-02T00:00:00Z' };
    await ca.pebble.setRenewalInfo(fullchain, JSON.stringify({ suggestedWindow: window }));
    ca.proxy.clearLog();
    const fresh = await certkeeper('renew');
    expect(fresh.code, explain(fresh)).toBe(0);
    expect(fresh.stdout).toMatch(
      /^ari\.test: fresh, until 2030-01-01T\S+ \(ARI window 2030-01-01T00:00:00\.000Z – 2030-01-02T00:00:00\.000Z\); nothing to do$/m,
    );
    expect(ca.proxy.count('renewalInfo', 'GET')).toBe(1);

    // The window is stored with Pebble's Retry-After (6 h): the next renew asks nothing.
    ca.proxy.clearLog();
    expect((await certkeeper('renew')).code).toBe(0);
    expect(ca.proxy.count('renewalInfo')).toBe(0);

    const status = await certkeeper('status', '--wide');
    const row = status.stdout.split('\n').find((line) => line.startsWith('ari.test'))!;
    expect(row).toMatch(/2030-01-01 \d\d:\d\dZ \(in \d+ d\) +the CA's ARI window/);
    expect(status.stdout).toContain(
      'renewal window: ARI window 2030-01-01T00:00:00.000Z – 2030-01-02T00:00:00.000Z',
    );
  });

  it('a certificate issued with --profile is renewed from the store with that profile', async () => {
    const sentProfiles: unknown[] = [];
    ca.proxy.addRule({
      kind: 'newOrder',
      action: faults.respond(async (request, context) => {
        const payload = JSON.parse(request.jws?.payload ?? '{}') as {
          identifiers?: { value: string }[];
          profile?: string;
        };
        if (payload.identifiers?.some((identifier) => identifier.value === 'short.ari.test'))
          sentProfiles.push(payload.profile);
        const upstream = await context.forward();
        return {
          status: upstream.status,
          headers: upstream.headers as Record<string, string>,
          body: upstream.body,
        };
      }),
    });
    const issued = await certkeeper('issue', '--profile', 'shortlived', 'short.ari.test');
    expect(issued.code, explain(issued)).toBe(0);
    // `renew` keeps what `issue` made (a stored work item, not in the config); --force renews it now.
    const renewed = await certkeeper('renew', '--force');
    expect(renewed.code, explain(renewed)).toBe(4);
    expect(renewed.stdout).toMatch(/^short\.ari\.test: renewed/m);
    // What the CA was sent (the proxy reads each newOrder's payload) and what it holds (the account's orders).
    expect(sentProfiles).toEqual(['shortlived', 'shortlived']);
    const store = await FileStore.open({ directory: join(dir, 'data') });
    try {
      const atCa = { directoryUrl: ca.proxy.directoryUrl, caBundlePem: ca.proxy.caBundlePem };
      const orders = (await ordersAtCa(store, atCa)).filter((order) =>
        order.identifiers.some((identifier) => identifier.value === 'short.ari.test'),
      );
      expect(orders.map((order) => order.profile)).toEqual(['shortlived', 'shortlived']);
    } finally {
      await store.close();
    }
  });
});
