import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore, isDue } from '@certkeeper/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KillPointOp, killPointEnv, readKillTrace, type TracedPoint } from '../support/kill-points.js';
import { startChild } from './support/child-process.js';
import { indexCrashBy as by, indexCrashKeys, indexCrashSteps } from './support/index-crash-script.js';

// The certificate switch (symlink + rename), the index appends and compaction, removals; lock files are left out
// (paths with "certificate" in them: the certificates directory and the index).
const match = 'certificate';
const ops: KillPointOp[] = ['rename', 'symlink', 'appendFile', 'unlink', 'rm'];
const parallel = 3;

/** The due listing agrees with the certificate files: exactly the stored certificates that are due. */
async function assertIndexAgrees(store: FileStore, where: string): Promise<void> {
  const stored = await Promise.all(indexCrashKeys.map((key) => store.getCertificate(key)));
  const truth = stored.filter((record) => record !== undefined && isDue(record, { by })).map((r) => r!.key);
  for (const attempt of ['first', 'second']) {
    const listed = (await store.listDueCertificates({ by })).map((record) => record.key);
    assert.deepEqual(listed, truth.sort(), `${where}: the ${attempt} due listing disagrees with the files`);
  }
}

describe('FileStore certificate index killed at every write point', () => {
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'certkeeper-index-kill-'));
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('after a kill anywhere (between the certificate switch and its index line included) the due listing loses nothing and lists nothing extra', async () => {
    const tracedRun = await mkdtemp(join(base, 'trace-'));
    const trace = join(base, 'trace.txt');
    const traced = startChild('./index-crash-child.ts', [join(tracedRun, 'store')], {
      ...killPointEnv({ trace, ops, match }),
    });
    expect((await traced.exited).code, traced.stderr()).toBe(0);
    expect(traced.lines.at(-1)).toBe('done');
    const points = await readKillTrace(trace);
    // Six certificate writes append before and after switching the files; the delete appends once after.
    expect(points.filter((point) => point.op === 'appendFile')).toHaveLength(13);
    const failures: string[] = [];
    const killAt = async (point: TracedPoint) => {
      const run = await mkdtemp(join(base, `kill-${point.n}-`));
      const directory = join(run, 'store');
      const child = startChild(
        './index-crash-child.ts',
        [directory],
        killPointEnv({ at: point.n, ops, match }),
      );
      const exit = await child.exited;
      const acked = child.lines.filter((line) => line.startsWith('ack ')).length;
      const where = `kill point ${point.n} (${point.op} ${point.paths.map((path) => path.replace(tracedRun, '')).join(' ')}) after ${acked} steps`;
      try {
        assert.equal(exit.signal, 'SIGKILL', `the child was not killed: ${child.stderr()}`);
        const store = await FileStore.open({ directory });
        try {
          await assertIndexAgrees(store, where);
          // The store writes on, and the index follows.
          for (const step of indexCrashSteps) await step(store);
          await assertIndexAgrees(store, `${where}, after writing on`);
        } finally {
          await store.close();
        }
        await rm(run, { recursive: true, force: true });
      } catch (error) {
        failures.push(`${where}: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    const queue = [...points];
    await Promise.all(
      Array.from({ length: parallel }, async () => {
        for (let point = queue.shift(); point; point = queue.shift()) await killAt(point);
      }),
    );
    expect(failures).toEqual([]);
  }, 600_000);
});
