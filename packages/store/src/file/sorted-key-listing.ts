import { stat } from 'node:fs/promises';
import { type KeyPageOptions, keyPage } from '../port/key-page.js';
import { storeIoError } from './store-io-error.js';

/**
 * The keys of the records in one directory, sorted, reused while the directory is unchanged: a sweep pages
 * through 100 000 records without listing and sorting the directory for each page. The directory's mtime is
 * read before listing it, so a record added during or after the listing makes the next call list again. A
 * name always holds the same key (it is derived from the key), so each name's key is read once.
 */
export class SortedKeyListing {
  private readonly keysByName = new Map<string, string>();
  private listing: { readonly mtimeNs: bigint; readonly keys: string[] } | undefined;

  constructor(
    private readonly directory: string,
    /** What the directory holds, for error messages ("certificates"). */
    private readonly what: string,
    /** The names of the records in the directory (unsorted). */
    private readonly names: () => Promise<string[]>,
    /** The key a name holds; `undefined` skips it (gone, or not a record of ours). */
    private readonly keyOf: (name: string) => Promise<string | undefined>,
    /** The keys of these names known without reading each record (the certificate index), asked once per listing. */
    private readonly knownKeys?: (names: readonly string[]) => Promise<ReadonlyMap<string, string>>,
  ) {}

  /** The keys of one page, in key order. */
  async page(options: KeyPageOptions = {}): Promise<string[]> {
    return keyPage(await this.sortedKeys(), options);
  }

  private async sortedKeys(): Promise<string[]> {
    const { mtimeNs } = await stat(this.directory, { bigint: true }).catch((error) => {
      throw storeIoError(`listing ${this.what}`, this.directory, error);
    });
    const listedAt = BigInt(Date.now()) * 1_000_000n;
    if (this.listing?.mtimeNs === mtimeNs) return this.listing.keys;
    const keys: string[] = [];
    const names = await this.names();
    const unknown = names.filter((name) => !this.keysByName.has(name));
    if (this.knownKeys && unknown.length > 0) {
      for (const [name, key] of await this.knownKeys(unknown)) this.keysByName.set(name, key);
    }
    for (const name of names) {
      const key = await this.rememberedKeyOf(name);
      if (key !== undefined) keys.push(key);
    }
    keys.sort();
    // Directory times tick coarsely (a few ms): a change in the same tick as the listing would leave the mtime
    // as it was. Cache only a directory that had been quiet for a second before we listed it.
    this.listing = listedAt - mtimeNs > 1_000_000_000n ? { mtimeNs, keys } : undefined;
    return keys;
  }

  private async rememberedKeyOf(name: string): Promise<string | undefined> {
    const known = this.keysByName.get(name);
    if (known !== undefined) return known;
    const key = await this.keyOf(name);
    if (key !== undefined) this.keysByName.set(name, key);
    return key;
  }
}
