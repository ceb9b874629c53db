import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { KeyPageOptions } from '../port/key-page.js';
import type { ManagedCertificateRecord } from '../port/records.js';
import { readJson, removeDurably, writeFileDurably } from './durable-fs.js';
import { hashedName } from './safe-name.js';
import { SortedKeyListing } from './sorted-key-listing.js';
import { storeIoError } from './store-io-error.js';

/** A record file's name: 40 hex digits of its key's hash (drafts start with `.tmp-`). */
const recordFileName = /^[0-9a-f]{40}\.json$/;

/**
 * How each certificate is kept (the recipe its program recorded, the last deployment): one JSON file per
 * certificate (0600), named by a hash of its key and replaced atomically, like backoff records. Listing pages
 * in key order; each file's key is read once per process.
 */
export class ManagedFiles {
  private readonly keys: SortedKeyListing;

  constructor(private readonly directory: string) {
    this.keys = new SortedKeyListing(
      directory,
      'managed certificates',
      () => this.names(),
      (name) => this.keyOf(name),
    );
  }

  get(key: string): Promise<ManagedCertificateRecord | undefined> {
    return readJson<ManagedCertificateRecord>(this.path(key));
  }

  put(record: ManagedCertificateRecord): Promise<void> {
    return writeFileDurably(this.path(record.key), JSON.stringify(record));
  }

  async list(options: KeyPageOptions = {}): Promise<ManagedCertificateRecord[]> {
    const records = await Promise.all((await this.keys.page(options)).map((key) => this.get(key)));
    // A record removed between the listing and its read is simply not on the page.
    return records.filter((record): record is ManagedCertificateRecord => record !== undefined);
  }

  delete(key: string): Promise<void> {
    return removeDurably(this.path(key));
  }

  private path(key: string): string {
    return join(this.directory, `${hashedName(key)}.json`);
  }

  private async names(): Promise<string[]> {
    try {
      return (await readdir(this.directory)).filter((name) => recordFileName.test(name));
    } catch (error) {
      throw storeIoError('listing managed certificates', this.directory, error);
    }
  }

  private async keyOf(name: string): Promise<string | undefined> {
    const record = await readJson<ManagedCertificateRecord>(join(this.directory, name));
    return record !== undefined && `${hashedName(record.key)}.json` === name ? record.key : undefined;
  }
}
