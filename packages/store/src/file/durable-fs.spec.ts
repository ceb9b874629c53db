import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readJson, readSmallFile, syncDirectory, umaskFilters, writeFileDurably } from './durable-fs.js';

describe('durable-fs', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'certkeeper-durable-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('syncDirectory: many callers at once all resolve, in rounds; a failure reaches every caller of its round', async () => {
    await Promise.all(Array.from({ length: 50 }, () => syncDirectory(directory)));
    // Callers arriving while a sync runs are answered by a later one, which they share.
    const first = syncDirectory(directory);
    await new Promise((resolve) => setImmediate(resolve));
    const later = Array.from({ length: 10 }, () => syncDirectory(directory));
    expect(new Set(later).size).toBe(1);
    await Promise.all([first, ...later]);
    const missing = join(directory, 'missing');
    const errors = await Promise.all(
      Array.from({ length: 3 }, () => syncDirectory(missing).catch((error: unknown) => error)),
    );
    for (const error of errors) expect((error as Error).message).toContain(missing);
  });

  it('writes records with their exact mode and reads them back, small and large', async () => {
    const small = join(directory, 'small.json');
    await writeFileDurably(small, JSON.stringify({ a: 1 }));
    expect((await stat(small)).mode & 0o777).toBe(0o600);
    expect(await readJson(small)).toEqual({ a: 1 });
    const large = join(directory, 'large.txt');
    const text = 'é'.repeat(100_000);
    await writeFile(large, text);
    expect(await readSmallFile(large)).toBe(text);
    expect(await readJson(join(directory, 'absent.json'))).toBeUndefined();
  });

  it('umaskFilters: an fchmod only when the umask can clear a bit of the mode', () => {
    const umask = process.umask();
    expect(umaskFilters(0o600)).toBe((0o600 & umask) !== 0);
    expect(umaskFilters(0o644)).toBe((0o644 & umask) !== 0);
  });
});
