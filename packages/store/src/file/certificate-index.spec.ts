import { appendFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CertificateFiles } from './certificate-files.js';
import { CertificateIndex } from './certificate-index.js';
import { FileLocks } from './file-lock.js';

describe('CertificateIndex', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'certkeeper-index-'));
    await mkdir(join(directory, 'locks'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const open = async () => {
    const certificates = new CertificateFiles(join(directory, 'certificates'));
    await certificates.init();
    return new CertificateIndex(
      join(directory, 'certificate-index.jsonl'),
      certificates,
      new FileLocks(join(directory, 'locks')),
    );
  };

  it('what an append leaves in memory is what a fresh reader of the file finds, a torn last line included', async () => {
    const index = await open();
    await index.pending('a');
    await index.pending('c');
    // A writer killed before its newline: the line is whole JSON, but was never acknowledged.
    await appendFile(join(directory, 'certificate-index.jsonl'), JSON.stringify({ k: 'b', n: 'b', p: 1 }));
    expect([...(await index.entries()).keys()]).toEqual(['a', 'c']);
    await index.removed('a');
    const fresh = await open();
    expect(new Map(await index.entries())).toEqual(new Map(await fresh.entries()));
    expect([...(await fresh.entries()).keys()].sort()).toEqual(['b', 'c']);
    // And on: the next appends follow in both.
    await fresh.pending('d');
    await index.removed('c');
    expect(new Map(await index.entries())).toEqual(new Map(await (await open()).entries()));
    expect(await index.keysOf(['b', 'd', 'x'])).toEqual(
      new Map([
        ['b', 'b'],
        ['d', 'd'],
      ]),
    );
  });
});
