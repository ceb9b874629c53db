import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileStore } from '@certkeeper/store';
import { certificateRecord } from '@certkeeper/testkit/store-conformance';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { indexCrashBy as by } from './support/index-crash-script.js';

/** A certificate due at `by` (its renewalInfo refresh passed) or fresh then (ARI moment and refresh in 2027). */
function record(key: string, due: boolean) {
  const base = certificateRecord(key);
  const at = due ? '2026-12-01T00:00:00.000Z' : '2027-06-01T00:00:00.000Z';
  return { ...base, renewalInfo: { ...base.renewalInfo!, chosenAt: at, refreshAt: at } };
}
const dueKeys = async (store: FileStore) => (await store.listDueCertificates({ by })).map((r) => r.key);

describe('FileStore certificate index (certificate-index.jsonl)', () => {
  let directory: string;
  let store: FileStore;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'certkeeper-index-'));
    store = await FileStore.open({ directory });
  });
  afterEach(async () => {
    await store.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('a missing index is rebuilt from the certificate files', async () => {
    await store.putCertificate(record('a.index.test', true));
    await store.putCertificate(record('b.index.test', false));
    await rm(join(directory, 'certificate-index.jsonl'));
    const reopened = await FileStore.open({ directory });
    try {
      expect(await dueKeys(reopened)).toEqual(['a.index.test']);
      await reopened.putCertificate(record('c.index.test', true));
      expect(await dueKeys(reopened)).toEqual(['a.index.test', 'c.index.test']);
    } finally {
      await reopened.close();
    }
  });

  it('a certificate directory the index does not name (copied in by hand, or by an older version) is read and indexed', async () => {
    const other = await mkdtemp(join(tmpdir(), 'certkeeper-index-other-'));
    try {
      const source = await FileStore.open({ directory: other });
      await source.putCertificate(record('copied.index.test', true));
      await source.close();
      await store.putCertificate(record('own.index.test', false));
      await cp(join(other, 'certificates'), join(directory, 'certificates'), {
        recursive: true,
        verbatimSymlinks: true,
      });
      expect(await dueKeys(store)).toEqual(['copied.index.test']);
      const index = await readFile(join(directory, 'certificate-index.jsonl'), 'utf8');
      expect(index).toContain('"k":"copied.index.test"');
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });

  it('the log is compacted: after 3 000 writes of 10 certificates it holds under 2 × 10 + 1 000 lines, and another store object reads on through compactions', async () => {
    const reader = await FileStore.open({ directory });
    try {
      for (let round = 0; round < 300; round += 1) {
        await Promise.all(
          Array.from({ length: 10 }, (_, i) =>
            store.putCertificate(record(`k${i}.index.test`, (round + i) % 2 === 0)),
          ),
        );
        // Another store object reads on from where it was, through compactions.
        if (round % 50 === 49) expect(await dueKeys(reader)).toHaveLength(5);
      }
      const lines = (await readFile(join(directory, 'certificate-index.jsonl'), 'utf8')).split('\n').length;
      expect(lines).toBeLessThan(2 * 10 + 1002);
      const expected = Array.from({ length: 10 }, (_, i) => `k${i}.index.test`).filter(
        (_, i) => (299 + i) % 2 === 0,
      );
      expect(await dueKeys(store)).toEqual(expected);
      expect(await dueKeys(reader)).toEqual(expected);
    } finally {
      await reader.close();
    }
  }, 120_000);
});
