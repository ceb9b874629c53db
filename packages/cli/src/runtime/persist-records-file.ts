import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { writeFileDurably } from '@certkeeper/store';

/** One dns-persist-01 record `certkeeper persist publish` wrote, remembered so `status` can warn before it lapses. */
export interface PublishedPersistRecord {
  readonly directoryUrl: string;
  readonly accountUrl: string;
  /** The name it authorizes (its base name; `wildcard` when it carries policy=wildcard). */
  readonly name: string;
  readonly wildcard: boolean;
  readonly recordName: string;
  readonly value: string;
  /** ISO 8601; absent when the record has no persistUntil (it never lapses). */
  readonly persistUntil?: string;
  readonly publishedAt: string;
}

interface PersistRecordsDocument {
  readonly version: 1;
  readonly records: readonly PublishedPersistRecord[];
}

/**
 * `persist-records.json` in the store directory: the records `persist publish` wrote, one per CA, account and
 * name (a later publish replaces the entry, as it replaced the record in DNS). A small file beside the store's own,
 * written durably; no secret in it (record values are public DNS data).
 */
export class PersistRecordsFile {
  readonly path: string;

  constructor(storeDirectory: string) {
    this.path = join(storeDirectory, 'persist-records.json');
  }

  async list(): Promise<PublishedPersistRecord[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new CertkeeperError(
        ErrorCodes.STORE_IO,
        `Cannot read ${this.path}: ${(error as Error).message}.`,
      );
    }
    try {
      const document = JSON.parse(text) as PersistRecordsDocument;
      if (document.version !== 1 || !Array.isArray(document.records)) throw new Error('unknown shape');
      return [...document.records];
    } catch (error) {
      throw new CertkeeperError(
        ErrorCodes.STORE_CORRUPT,
        `${this.path} is not a persist-records file certkeeper wrote (${(error as Error).message}).`,
        { hint: 'delete it and run `certkeeper persist publish <names>` again to remember the records.' },
      );
    }
  }

  /** Add or replace (same CA, account and name) these entries. */
  async remember(records: readonly PublishedPersistRecord[]): Promise<void> {
    const key = (record: PublishedPersistRecord) =>
      `${record.directoryUrl} ${record.accountUrl} ${record.name}`;
    const replaced = new Set(records.map(key));
    const kept = (await this.list()).filter((record) => !replaced.has(key(record)));
    const document: PersistRecordsDocument = { version: 1, records: [...kept, ...records] };
    await writeFileDurably(this.path, `${JSON.stringify(document, null, 2)}\n`, 0o644);
  }
}

/** How long before persistUntil `status` starts warning. */
export const PERSIST_WARNING_MS = 30 * 86_400_000;

/** The warning for a record whose persistUntil is within {@link PERSIST_WARNING_MS} (or past), else undefined. */
export function persistExpiryWarning(record: PublishedPersistRecord, now: Date): string | undefined {
  if (!record.persistUntil) return undefined;
  const until = new Date(record.persistUntil);
  if (until.getTime() - now.getTime() > PERSIST_WARNING_MS) return undefined;
  const names = record.wildcard ? `${record.name} *.${record.name}` : record.name;
  const verb = until <= now ? 'expired on' : 'expires on';
  return `the dns-persist-01 record for ${names.replace(' ', ' and ')} ${verb} ${until.toISOString().slice(0, 10)} (persistUntil) — run \`certkeeper persist publish ${names} --persist-until <date>\``;
}
