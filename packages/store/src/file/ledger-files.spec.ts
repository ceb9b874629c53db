import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LedgerEvent } from '../port/records.js';
import { FileLocks } from './file-lock.js';
import { LedgerFiles } from './ledger-files.js';

const event = (detail: string, at = '2026-11-20T10:00:00.000Z'): LedgerEvent => ({
  kind: 'new-order',
  at,
  directoryUrl: 'https://ca.test/directory',
  accountUrl: 'https://ca.test/acct/1',
  identifierSet: 'dns:a.test',
  identifiers: [{ type: 'dns', value: 'a.test' }],
  detail,
});

describe('LedgerFiles', () => {
  let directory: string;
  let ledger: LedgerFiles;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'certkeeper-ledger-'));
    ledger = new LedgerFiles(directory, new FileLocks(directory));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });
  const all = () =>
    ledger.query({ directoryUrl: 'https://ca.test/directory', since: '2000-01-01T00:00:00.000Z' });

  it('skips a torn last line left by a killed writer, and the next append starts on a line of its own', async () => {
    await ledger.append(event('first'));
    // What a kill -9 in the middle of write(2) leaves: half an event, no newline.
    await appendFile(join(directory, '2026-11-20.jsonl'), JSON.stringify(event('torn')).slice(0, 40));
    await ledger.append(event('second'));
    expect((await all()).map((e) => e.detail)).toEqual(['first', 'second']);
    const lines = (await readFile(join(directory, '2026-11-20.jsonl'), 'utf8')).split('\n');
    expect(lines).toHaveLength(4);
  });

  it('files events by the UTC day of their time and prunes whole days past retention', async () => {
    await ledger.append(event('old', '2026-10-01T23:59:59.000Z'));
    await ledger.append(event('new', '2026-11-21T00:00:00.000Z'));
    await ledger.prune(30, new Date('2026-11-22T00:00:00.000Z'));
    expect((await all()).map((e) => e.detail)).toEqual(['new']);
  });

  it('writes parallel appends with one fsync per batch, answering each after it', async () => {
    await Promise.all(Array.from({ length: 200 }, (_, i) => ledger.append(event(`e${i}`))));
    expect(await all()).toHaveLength(200);
  });

  it('refuses an event whose time is not a date, naming it', async () => {
    await expect(ledger.append(event('bad', 'yesterday'))).rejects.toMatchObject({
      code: 'CERTKEEPER_ERR_INVALID_OPTION',
      message: expect.stringContaining('"yesterday"'),
    });
  });
});
