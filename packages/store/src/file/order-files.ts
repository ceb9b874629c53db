import { join } from 'node:path';
import type { OrderRecord } from '../port/records.js';
import { checkExpectedRevision, StoreConflictError } from '../port/store-conflict-error.js';
import { readJson, removeDurably, writeFileDurably } from './durable-fs.js';
import type { FileLocks } from './file-lock.js';
import { hashedName } from './safe-name.js';

const backend = 'FileStore';

/** An order file as stored; files written before revisions existed have none and count as revision 1. */
type StoredOrder = Omit<OrderRecord, 'revision'> & { readonly revision?: number };

/**
 * In-flight orders, one JSON file each, written by compare-and-set: under the order's cross-process lock the
 * file is read, its revision compared with the caller's, and the new record written durably (temporary file,
 * fsync, rename, directory fsync) before the lock is released. Two processes racing one order: the second to
 * take the lock finds the first one's revision and gets STORE_CONFLICT. Readers need no lock: the rename is
 * atomic, so they see the old record or the new one.
 */
export class OrderFiles {
  constructor(
    private readonly directory: string,
    private readonly locks: FileLocks,
  ) {}

  async get(key: string): Promise<OrderRecord | undefined> {
    const record = await readJson<StoredOrder>(this.path(key));
    return record === undefined ? undefined : { ...record, revision: revisionOf(record) };
  }

  async put(record: Omit<OrderRecord, 'revision'>, expectedRevision: number): Promise<OrderRecord> {
    checkExpectedRevision(backend, record.key, expectedRevision);
    return this.locks.withLock(`order ${record.key}`, async () => {
      const path = this.path(record.key);
      const found = revisionOf(await readJson<StoredOrder>(path));
      if (found !== expectedRevision)
        throw new StoreConflictError(backend, record.key, expectedRevision, found);
      const text = JSON.stringify({ ...record, revision: found + 1 });
      await writeFileDurably(path, text);
      // A detached copy of exactly what was stored.
      return JSON.parse(text) as OrderRecord;
    });
  }

  async delete(key: string, expectedRevision?: number): Promise<void> {
    if (expectedRevision !== undefined) checkExpectedRevision(backend, key, expectedRevision);
    return this.locks.withLock(`order ${key}`, async () => {
      const path = this.path(key);
      if (expectedRevision !== undefined) {
        const found = revisionOf(await readJson<StoredOrder>(path));
        if (found === 0) return;
        if (found !== expectedRevision) throw new StoreConflictError(backend, key, expectedRevision, found);
      }
      await removeDurably(path);
    });
  }

  private path(key: string): string {
    return join(this.directory, `${hashedName(key)}.json`);
  }
}

function revisionOf(record: StoredOrder | undefined): number {
  return record === undefined ? 0 : (record.revision ?? 1);
}
