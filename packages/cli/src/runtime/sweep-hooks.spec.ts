import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Reporter } from '../output/reporter.js';
import { SweepHooks } from './sweep-hooks.js';

const quiet = { info: () => {}, warn: () => {} } as unknown as Reporter;
let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('SweepHooks with several certificates ordering at once', () => {
  it('runs the pre-hook once, and every order waits until it has finished', async () => {
    dir = await mkdtemp(join(tmpdir(), 'certkeeper-sweep-hooks-'));
    const log = join(dir, 'log');
    // Slow on purpose: a second caller that did not wait would read the log before the hook wrote it.
    const hook = (word: string) => ['sh', '-c', `sleep 0.2; echo ${word}-$CERTKEEPER_HOOK >> ${log}`];
    const hooks = new SweepHooks({ pre: hook('pre'), post: hook('post') }, 10_000);
    const seen = await Promise.all(
      [1, 2, 3, 4].map(async () => {
        await hooks.beforeOrder(quiet);
        return readFile(log, 'utf8');
      }),
    );
    expect(seen).toEqual(['pre-pre\n', 'pre-pre\n', 'pre-pre\n', 'pre-pre\n']);
    await hooks.afterOrders(quiet);
    expect(await readFile(log, 'utf8')).toBe('pre-pre\npost-post\n');
    // The next sweep runs them again; one without orders runs neither.
    await hooks.afterOrders(quiet);
    expect(await readFile(log, 'utf8')).toBe('pre-pre\npost-post\n');
  });
});
