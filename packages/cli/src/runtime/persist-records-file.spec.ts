import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  PersistRecordsFile,
  type PublishedPersistRecord,
  persistExpiryWarning,
} from './persist-records-file.js';

const now = new Date('2026-12-06T12:00:00Z');
const record = (name: string, persistUntil?: string): PublishedPersistRecord => ({
  directoryUrl: 'https://ca.test/dir',
  accountUrl: 'https://ca.test/acct/1',
  name,
  wildcard: false,
  recordName: `_validation-persist.${name}`,
  value: `ca.test; accounturi=https://ca.test/acct/1`,
  ...(persistUntil ? { persistUntil } : {}),
  publishedAt: now.toISOString(),
});

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('persist-records.json', () => {
  it('remembers one entry per CA, account and name; a later publish replaces it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ck-persist-'));
    const file = new PersistRecordsFile(dir);
    expect(await file.list()).toEqual([]);
    await file.remember([record('a.test', '2027-01-01T00:00:00.000Z'), record('b.test')]);
    await file.remember([record('a.test', '2028-01-01T00:00:00.000Z')]);
    expect((await file.list()).map((entry) => [entry.name, entry.persistUntil])).toEqual([
      ['b.test', undefined],
      ['a.test', '2028-01-01T00:00:00.000Z'],
    ]);
    expect(JSON.parse(await readFile(file.path, 'utf8')).version).toBe(1);
  });

  it('refuses a damaged file with STORE_CORRUPT naming it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'ck-persist-'));
    const file = new PersistRecordsFile(dir);
    await writeFile(file.path, '{"records": 1}');
    await expect(file.list()).rejects.toThrow(/persist-records\.json is not a persist-records file/);
  });

  it('warns 30 days ahead of persistUntil, and after it, never without one', () => {
    expect(persistExpiryWarning(record('a.test'), now)).toBeUndefined();
    expect(persistExpiryWarning(record('a.test', '2027-01-06T12:00:01Z'), now)).toBeUndefined();
    expect(persistExpiryWarning(record('a.test', '2027-01-05T12:00:00Z'), now)).toBe(
      'the dns-persist-01 record for a.test expires on 2027-01-05 (persistUntil) — run `certkeeper persist publish a.test --persist-until <date>`',
    );
    expect(
      persistExpiryWarning({ ...record('a.test', '2026-12-01T00:00:00Z'), wildcard: true }, now),
    ).toContain('for a.test and *.a.test expired on 2026-12-01');
  });
});
