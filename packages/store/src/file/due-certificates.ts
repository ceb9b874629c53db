import { type DueQuery, dueExpiryBound, isDue } from '../port/due.js';
import type { CertificateRecord } from '../port/records.js';
import type { CertificateFiles } from './certificate-files.js';
import type { CertificateIndex } from './certificate-index.js';
import type { FileLocks } from './file-lock.js';
import { certificateDirectoryName } from './safe-name.js';

/**
 * The FileStore's listDueCertificates: candidates from the certificate index (due by their indexed dates, or
 * left pending by a write a kill interrupted), then only those records read from their files and checked again,
 * so the answer is exactly what {@link isDue} says of the stored records. Certificate directories the index does
 * not name are read and indexed first, and a pending entry is settled from the files, each under the
 * certificate's lock (the order writers take them in: certificate, then index).
 */
export class DueCertificates {
  /** The certificates directory's mtime when it was last found to hold nothing the index does not name. */
  private checkedMtimeNs: bigint | undefined;

  constructor(
    private readonly certificates: CertificateFiles,
    private readonly index: CertificateIndex,
    private readonly locks: FileLocks,
  ) {}

  async list(query: DueQuery): Promise<CertificateRecord[]> {
    await this.indexUnknownDirectories();
    const by = Date.parse(query.by);
    const expiry = dueExpiryBound(query);
    const candidates: string[] = [];
    for (const [key, entry] of await this.index.entries()) {
      if (query.afterKey !== undefined && key <= query.afterKey) continue;
      if ('pending' in entry || entry.checkAt <= by || entry.notAfter <= expiry) candidates.push(key);
    }
    candidates.sort();
    const limit = query.limit ?? 1000;
    const due: CertificateRecord[] = [];
    // A candidate may turn out not due (a pending entry, a record changed since): read on until the page is full.
    for (let from = 0; from < candidates.length && due.length < limit; from += limit) {
      const keys = candidates.slice(from, from + limit);
      const records = await Promise.all(keys.map((key) => this.certificates.read(key)));
      const entries = await this.index.entries();
      for (const [i, record] of records.entries()) {
        const key = keys[i]!;
        const entry = entries.get(key);
        if (record === undefined || (entry && 'pending' in entry)) await this.settle(key);
        if (record && isDue(record, query) && due.length < limit) due.push(record);
      }
    }
    return due;
  }

  /** Index the certificate directories the index does not name (written by a process that bypassed it). */
  private async indexUnknownDirectories(): Promise<void> {
    // A certificate added (by anyone) changes the directory's mtime: unchanged since the last check, nothing to
    // look for. As in SortedKeyListing, only a directory quiet for a second counts, directory times being coarse.
    const { mtimeNs } = await this.certificates.directoryTimes();
    if (mtimeNs === this.checkedMtimeNs) return;
    const checkedAt = BigInt(Date.now()) * 1_000_000n;
    const known = new Set<string>();
    for (const entry of (await this.index.entries()).values()) known.add(entry.name);
    for (const name of await this.certificates.names()) {
      if (known.has(name)) continue;
      const record = await this.certificates.readByName(name);
      if (record && certificateDirectoryName(record.key) === name) await this.settle(record.key);
    }
    this.checkedMtimeNs = checkedAt - mtimeNs > 1_000_000_000n ? mtimeNs : undefined;
  }

  /** Write the index line of `key` from what its files hold now, under the certificate's lock. */
  private settle(key: string): Promise<void> {
    return this.locks.withLock(`certificate ${key}`, async () => {
      const record = await this.certificates.read(key);
      await (record ? this.index.settled(record) : this.index.removed(key));
    });
  }
}
