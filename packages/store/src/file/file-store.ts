import { join } from 'node:path';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type { DueQuery } from '../port/due.js';
import type { KeyPageOptions } from '../port/key-page.js';
import type {
  AccountRecord,
  BackoffRecord,
  CertificateRecord,
  Lease,
  LedgerEvent,
  LedgerQuery,
  ManagedCertificateRecord,
  OrderRecord,
} from '../port/records.js';
import type { Store } from '../port/store.js';
import { CertificateFiles } from './certificate-files.js';
import { CertificateIndex } from './certificate-index.js';
import { defaultStoreDirectory } from './default-directory.js';
import { DueCertificates } from './due-certificates.js';
import {
  ensureDirectory,
  readJson,
  removeAbandonedDrafts,
  removeDurably,
  writeFileDurably,
} from './durable-fs.js';
import { type FileLockOptions, FileLocks } from './file-lock.js';
import { LeaseFiles } from './lease-files.js';
import { LedgerFiles } from './ledger-files.js';
import { ManagedFiles } from './managed-files.js';
import { OrderFiles } from './order-files.js';
import { certificateDirectoryName, hashedName } from './safe-name.js';
import { SortedKeyListing } from './sorted-key-listing.js';

/** Directories of one JSON file per record, named by a hash of the record's key. */
const recordDirectories = ['accounts', 'orders', 'backoff', 'managed', 'leases'];

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
 * - Safe for several processes on one machine (a daemon and a cron `renew`): leases, ledger appends,
 *   certificate replacement and order compare-and-set run under cross-process file locks ({@link FileLocks});
 *   other records are single files replaced atomically (last writer wins). Not for network filesystems shared
 *   by several machines.
 * - Certificates are also published for web servers at stable paths, `certificates/<name>/fullchain.pem`,
 *   `privkey.pem` (0600), `cert.pem`, `chain.pem` — see {@link certificateFiles} — switched atomically.
 * - Secrets (`keyPem`) are in files of mode 0600 inside a directory created 0700.
 *
 * Layout: `accounts/`, `orders/`, `backoff/`, `managed/`, `leases/` (one JSON file per record, named by a hash
 * of its key), `ledger/<day>.jsonl`, `certificates/`, `certificate-index.jsonl` (the due sweep's index of
 * certificate dates, {@link CertificateIndex}), `locks/`.
 */
export class FileStore implements Store {
  private readonly certificateKeys: SortedKeyListing;
  private readonly managed: ManagedFiles;
  private readonly orders: OrderFiles;
  private readonly index: CertificateIndex;
  private readonly due: DueCertificates;
  private closed = false;

  private constructor(
    /** The store's directory (absolute or as given). */
    readonly directory: string,
    private readonly certificates: CertificateFiles,
    private readonly ledger: LedgerFiles,
    private readonly leases: LeaseFiles,
    private readonly locks: FileLocks,
  ) {
    this.orders = new OrderFiles(join(directory, 'orders'), locks);
    this.index = new CertificateIndex(join(directory, 'certificate-index.jsonl'), certificates, locks);
    this.certificateKeys = new SortedKeyListing(
      join(directory, 'certificates'),
      'certificates',
      () => certificates.names(),
      (name) => this.certificateKeyOf(name),
      (names) => this.index.keysOf(names),
    );
    this.managed = new ManagedFiles(join(directory, 'managed'));
    this.due = new DueCertificates(certificates, this.index, locks);
  }

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
    for (const sub of [...recordDirectories, 'ledger', 'locks', 'certificates']) {
      await ensureDirectory(join(directory, sub));
    }
    const locks = new FileLocks(join(directory, 'locks'), options.lock);
    const certificates = new CertificateFiles(join(directory, 'certificates'));
    await certificates.init();
    const ledger = new LedgerFiles(join(directory, 'ledger'), locks);
    await ledger.prune(retention, now());
    for (const sub of [...recordDirectories, 'certificates', '.']) {
      await removeAbandonedDrafts(join(directory, sub));
    }
    await locks.removeAbandonedDrafts();
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
    // The index says `pending` before the files switch and the new dates after: a kill in between leaves the
    // certificate listed as due (read from its files), never missing from the due sweep.
    return this.locks.withLock(`certificate ${record.key}`, async () => {
      await this.index.pending(record.key);
      await this.certificates.write(record);
      await this.index.settled(record);
    });
  }
  async listCertificates(options: KeyPageOptions = {}): Promise<CertificateRecord[]> {
    const page = await this.certificateKeys.page(options);
    const records = await Promise.all(page.map((key) => this.certificates.read(key)));
    // A certificate removed between the listing and its read is simply not on the page.
    return records.filter((record): record is CertificateRecord => record !== undefined);
  }
  listDueCertificates(query: DueQuery): Promise<CertificateRecord[]> {
    return this.due.list(query);
  }
  deleteCertificate(key: string): Promise<void> {
    return this.locks.withLock(`certificate ${key}`, async () => {
      await this.certificates.remove(key);
      await this.index.removed(key);
    });
  }

  getOrder(key: string): Promise<OrderRecord | undefined> {
    return this.orders.get(key);
  }
  putOrder(record: Omit<OrderRecord, 'revision'>, expectedRevision: number): Promise<OrderRecord> {
    return this.orders.put(record, expectedRevision);
  }
  deleteOrder(key: string, expectedRevision?: number): Promise<void> {
    return this.orders.delete(key, expectedRevision);
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
  getLease(name: string): Promise<Lease | undefined> {
    return this.leases.read(name);
  }

  getManaged(key: string): Promise<ManagedCertificateRecord | undefined> {
    return this.managed.get(key);
  }
  putManaged(record: ManagedCertificateRecord): Promise<void> {
    return this.managed.put(record);
  }
  listManaged(options: KeyPageOptions = {}): Promise<ManagedCertificateRecord[]> {
    return this.managed.list(options);
  }
  deleteManaged(key: string): Promise<void> {
    return this.managed.delete(key);
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

  /** A certificate directory's key: the name itself when it is a plain key, else read from its record. */
  private async certificateKeyOf(name: string): Promise<string | undefined> {
    if (!name.includes('~')) return name;
    const record = await this.certificates.readByName(name);
    return record !== undefined && certificateDirectoryName(record.key) === name ? record.key : undefined;
  }
}
