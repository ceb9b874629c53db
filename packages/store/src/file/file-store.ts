import { lstat, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type {
  AccountRecord,
  BackoffRecord,
  CertificateRecord,
  Lease,
  LedgerEvent,
  LedgerQuery,
  OrderRecord,
} from '../port/records.js';
import type { Store } from '../port/store.js';
import { CertificateFiles } from './certificate-files.js';
import { defaultStoreDirectory } from './default-directory.js';
import { ensureDirectory, readJson, removeDurably, writeFileDurably } from './durable-fs.js';
import { type FileLockOptions, FileLocks } from './file-lock.js';
import { LeaseFiles } from './lease-files.js';
import { LedgerFiles } from './ledger-files.js';
import { certificateDirectoryName, hashedName } from './safe-name.js';
import { storeIoError } from './store-io-error.js';

export interface FileStoreOptions {
  /** Where everything lives. Default {@link defaultStoreDirectory}: `$XDG_DATA_HOME/certkeeper` or `~/.local/share/certkeeper`. */
  readonly directory?: string;
  /** Clock for lease expiry. Every process sharing the directory MUST see the same time: one machine. */
  readonly now?: () => Date;
  /** Cross-process lock timing. */
  readonly lock?: FileLockOptions;
  /** Ledger days kept; older day files are deleted when the store opens. Default 30, at least 8 (rules span 7 days). */
  readonly ledgerRetentionDays?: number;
}

/**
 * The embedded default Store: a directory on the local disk, no server. Contract as {@link Store}, and:
 *
 * - Crash-safe: every record is written to a temporary file, fsync'd, renamed over the old one and the
 *   directory fsync'd before the call resolves; a kill -9 at any moment leaves each record old or new, whole.
 * - Safe for several processes on one machine (a daemon and a cron `renew`): leases, ledger appends and
 *   certificate replacement run under cross-process file locks ({@link FileLocks}); other records are single
 *   files replaced atomically (last writer wins). Not for network filesystems shared by several machines.
 * - Certificates are also published for web servers at stable paths, `certificates/<name>/fullchain.pem`,
 *   `privkey.pem` (0600), `cert.pem`, `chain.pem` — see {@link certificateFiles} — switched atomically.
 * - Secrets (`keyPem`) are in files of mode 0600 inside a directory created 0700.
 *
 * Layout: `accounts/`, `orders/`, `backoff/`, `leases/` (one JSON file per record, named by a hash of its key),
 * `ledger/<day>.jsonl`, `certificates/`, `locks/`.
 */
export class FileStore implements Store {
  private readonly keysByName = new Map<string, string>();
  private listing: { readonly mtimeNs: bigint; readonly keys: string[] } | undefined;
  private closed = false;

  private constructor(
    /** The store's directory (absolute or as given). */
    readonly directory: string,
    private readonly certificates: CertificateFiles,
    private readonly ledger: LedgerFiles,
    private readonly leases: LeaseFiles,
    private readonly locks: FileLocks,
  ) {}

  /** Open (creating if needed) the store directory. */
  static async open(options: FileStoreOptions = {}): Promise<FileStore> {
    const directory = options.directory ?? defaultStoreDirectory();
    const retention = options.ledgerRetentionDays ?? 30;
    if (!(retention >= 8)) {
      throw new CertkeeperError(
        ErrorCodes.INVALID_OPTION,
        `FileStore: ledgerRetentionDays is ${retention}; the rate-limit rules look back 7 days.`,
        { hint: 'keep at least 8 days of ledger.' },
      );
    }
    const now = options.now ?? (() => new Date());
    await ensureDirectory(directory);
    for (const sub of ['accounts', 'orders', 'backoff', 'leases', 'ledger', 'locks', 'certificates']) {
      await ensureDirectory(join(directory, sub));
    }
    const locks = new FileLocks(join(directory, 'locks'), options.lock);
    const certificates = new CertificateFiles(join(directory, 'certificates'));
    await certificates.init();
    const ledger = new LedgerFiles(join(directory, 'ledger'), locks);
    await ledger.prune(retention, now());
    for (const sub of ['accounts', 'orders', 'backoff', 'leases', 'certificates']) {
      await removeAbandonedDrafts(join(directory, sub));
    }
    return new FileStore(
      directory,
      certificates,
      ledger,
      new LeaseFiles(join(directory, 'leases'), locks, now),
      locks,
    );
  }

  getAccount(directoryUrl: string, name: string): Promise<AccountRecord | undefined> {
    return readJson<AccountRecord>(this.recordPath('accounts', `${directoryUrl} ${name}`));
  }
  putAccount(record: AccountRecord): Promise<void> {
    return this.writeRecord('accounts', `${record.directoryUrl} ${record.name}`, record);
  }

  getCertificate(key: string): Promise<CertificateRecord | undefined> {
    return this.certificates.read(key);
  }
  putCertificate(record: CertificateRecord): Promise<void> {
    return this.locks.withLock(`certificate ${record.key}`, () => this.certificates.write(record));
  }
  async listCertificates(options: { afterKey?: string; limit?: number } = {}): Promise<CertificateRecord[]> {
    const keys = await this.sortedCertificateKeys();
    const { afterKey } = options;
    const from = afterKey === undefined ? 0 : firstIndexAfter(keys, afterKey);
    const page = keys.slice(from, from + (options.limit ?? 1000));
    const records = await Promise.all(page.map((key) => this.certificates.read(key)));
    return records.filter((record): record is CertificateRecord => record !== undefined);
  }

  getOrder(key: string): Promise<OrderRecord | undefined> {
    return readJson<OrderRecord>(this.recordPath('orders', key));
  }
  putOrder(record: OrderRecord): Promise<void> {
    return this.writeRecord('orders', record.key, record);
  }
  deleteOrder(key: string): Promise<void> {
    return removeDurably(this.recordPath('orders', key));
  }

  appendLedger(event: LedgerEvent): Promise<void> {
    return this.ledger.append(event);
  }
  queryLedger(query: LedgerQuery): Promise<LedgerEvent[]> {
    return this.ledger.query(query);
  }

  getBackoff(key: string): Promise<BackoffRecord | undefined> {
    return readJson<BackoffRecord>(this.recordPath('backoff', key));
  }
  putBackoff(record: BackoffRecord): Promise<void> {
    return this.writeRecord('backoff', record.key, record);
  }
  deleteBackoff(key: string): Promise<void> {
    return removeDurably(this.recordPath('backoff', key));
  }

  acquireLease(name: string, holder: string, ttlMs: number): Promise<Lease | undefined> {
    return this.leases.acquire(name, holder, ttlMs);
  }
  releaseLease(lease: Lease): Promise<void> {
    return this.leases.release(lease);
  }

  /** Waits for ledger appends in progress. Idempotent; nothing else is held open between calls. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.ledger.drain();
  }

  private recordPath(kind: string, key: string): string {
    return join(this.directory, kind, `${hashedName(key)}.json`);
  }

  private writeRecord(kind: string, key: string, record: object): Promise<void> {
    return writeFileDurably(this.recordPath(kind, key), JSON.stringify(record));
  }

  /**
   * Every certificate key, sorted, reused while the certificates directory is unchanged: a sweep pages through
   * 100 000 certificates without listing and sorting the directory for each page. The directory's mtime is
   * read before listing it, so a certificate added during or after the listing makes the next call list again.
   */
  private async sortedCertificateKeys(): Promise<string[]> {
    const directory = join(this.directory, 'certificates');
    const { mtimeNs } = await stat(directory, { bigint: true }).catch((error) => {
      throw storeIoError('listing certificates', directory, error);
    });
    const listedAt = BigInt(Date.now()) * 1_000_000n;
    if (this.listing?.mtimeNs === mtimeNs) return this.listing.keys;
    const keys: string[] = [];
    for (const name of await this.certificates.names()) {
      const key = await this.keyOf(name);
      if (key !== undefined) keys.push(key);
    }
    keys.sort();
    // Directory times tick coarsely (a few ms): a change in the same tick as the listing would leave the mtime
    // as it was. Cache only a directory that had been quiet for a second before we listed it.
    this.listing = listedAt - mtimeNs > 1_000_000_000n ? { mtimeNs, keys } : undefined;
    return keys;
  }

  /** A certificate directory's key: the name itself when it is a plain key, else read once and remembered. */
  private async keyOf(name: string): Promise<string | undefined> {
    if (!name.includes('~')) return name;
    const known = this.keysByName.get(name);
    if (known !== undefined) return known;
    const record = await this.certificates.readByName(name);
    if (record === undefined || certificateDirectoryName(record.key) !== name) return undefined;
    this.keysByName.set(name, record.key);
    return record.key;
  }
}

/** Temporary files of writers killed before their rename: never acknowledged, safe to drop once old. */
async function removeAbandonedDrafts(directory: string): Promise<void> {
  const cutoff = Date.now() - 10 * 60_000;
  for (const name of await readdir(directory).catch(() => [] as string[])) {
    if (!name.startsWith('.tmp-')) continue;
    const path = join(directory, name);
    const info = await lstat(path).catch(() => undefined);
    if (info && info.mtimeMs < cutoff) await unlink(path).catch(() => {});
  }
}

/** Index of the first key greater than `afterKey` in sorted `keys` (binary search). */
function firstIndexAfter(keys: readonly string[], afterKey: string): number {
  let low = 0;
  let high = keys.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (keys[middle]! <= afterKey) low = middle + 1;
    else high = middle;
  }
  return low;
}
