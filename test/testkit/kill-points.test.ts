import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killPointEnv, readKillTrace } from '../support/kill-points.js';

// Three renames through an ESM named import, one through the callback API: the preload must see all four.
const script = `
import { rename, writeFile } from 'node:fs/promises';
import * as fs from 'node:fs';
const dir = process.argv[1];
for (const n of [1, 2, 3]) {
  await writeFile(dir + '/draft-' + n, String(n));
  await rename(dir + '/draft-' + n, dir + '/file-' + n);
}
await writeFile(dir + '/draft-4', '4');
await new Promise((resolve, reject) => fs.rename(dir + '/draft-4', dir + '/file-4', (e) => (e ? reject(e) : resolve())));
`;

function runScript(dir: string, env: Record<string, string>) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, dir], {
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
}

describe('kill-points preload', () => {
  let base: string;
  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'certkeeper-kill-points-'));
  });
  afterAll(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('traces every rename, then kills the process right before the chosen one', async () => {
    const traced = await mkdtemp(join(base, 'trace-'));
    const trace = join(base, 'trace.txt');
    expect(await runScript(traced, killPointEnv({ trace, ops: ['rename'] }))).toEqual({
      code: 0,
      signal: null,
    });
    const points = await readKillTrace(trace);
    expect(points.map((point) => point.op)).toEqual(['rename', 'rename', 'rename', 'rename']);
    expect(points[3]!.paths[1]).toBe(join(traced, 'file-4'));

    for (const at of [1, 3, 4]) {
      const dir = await mkdtemp(join(base, `kill-${at}-`));
      expect(await runScript(dir, killPointEnv({ at, ops: ['rename'] }))).toEqual({
        code: null,
        signal: 'SIGKILL',
      });
      const files = (await readdir(dir)).filter((name) => name.startsWith('file-')).sort();
      expect(files, `killed before rename ${at}`).toEqual(['file-1', 'file-2', 'file-3'].slice(0, at - 1));
    }
  });

  it('counts only points whose path matches', async () => {
    const dir = await mkdtemp(join(base, 'match-'));
    expect(await runScript(dir, killPointEnv({ at: 1, ops: ['rename'], match: 'file-3' }))).toEqual({
      code: null,
      signal: 'SIGKILL',
    });
    expect((await readdir(dir)).filter((name) => name.startsWith('file-')).sort()).toEqual([
      'file-1',
      'file-2',
    ]);
  });
});
