import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '@certkeeper/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChild } from './support/child-process.js';
import { expectRaceOutcome } from './support/race-outcome.js';

// A daemon and cron-style `renew` processes share one directory: a lease has one holder at a time across
// processes, tokens never repeat, and a holder killed with SIGKILL blocks the others only until its lease expires.
describe('FileStore leases across processes', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'certkeeper-leases-'));
    await (await FileStore.open({ directory })).close();
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('three processes competing for one lease: one holder at a time, a killed one is taken over', async () => {
    const children = [0, 1, 2].map(() =>
      startChild('./file-store-child.ts', ['lease-loop', directory, '4000']),
    );
    await Promise.all(children.map((child) => child.waitFor((line) => line === 'ready')));
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const victim = children[0]!;
    victim.process.kill('SIGKILL');
    const killedAt = children.map((child) => child.lines.length);
    const results = await Promise.all(children.map((child) => child.exited));
    expect(results[0]!.signal).toBe('SIGKILL');
    for (const [i, result] of results.slice(1).entries())
      expect(result.code, children[i + 1]!.stderr()).toBe(0);

    const all = children.flatMap((child) => child.lines);
    expect(all.filter((line) => line.startsWith('violation'))).toEqual([]);
    const tokens = all
      .filter((line) => line.startsWith('ack held '))
      .map((line) => Number(line.split(' ')[2]));
    expect(new Set(tokens).size, 'a fencing token was handed out twice').toBe(tokens.length);
    for (const child of children) {
      const own = child.lines
        .filter((line) => line.startsWith('ack held '))
        .map((line) => Number(line.split(' ')[2]));
      expect(own, 'tokens seen by one process go up').toEqual([...own].sort((a, b) => a - b));
    }
    // The survivors went on after the kill (the victim's lock and lease did not block them for good).
    const after = children.slice(1).flatMap((child, i) => child.lines.slice(killedAt[i + 1]));
    expect(after.filter((line) => line.startsWith('ack held ')).length).toBeGreaterThan(5);
    expect(tokens.length).toBeGreaterThan(30);
  }, 60_000);

  it('three processes racing compare-and-set writes on one order: each revision is won by exactly one', async () => {
    const children = [0, 1, 2].map(() =>
      startChild('./file-store-child.ts', ['order-race', directory, 'raced-order', '20']),
    );
    const store = await FileStore.open({ directory });
    try {
      await expectRaceOutcome(children, () => store.getOrder('raced-order'), 20);
    } finally {
      await store.close();
    }
  }, 60_000);
});
