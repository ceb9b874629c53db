import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readdir, readlink, rename, rm, stat, symlink, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CertkeeperError } from '@certkeeper/core';
import type { CertificateRecord } from '../port/records.js';
import {
  abandonedAfterMs,
  ensureDirectory,
  readJson,
  removeDurably,
  syncDirectory,
  writeAndSync,
} from './durable-fs.js';
import { certificateDirectoryName } from './safe-name.js';
import { storeCorruptError, storeIoError } from './store-io-error.js';

/** The files a web server reads for one certificate; see {@link certificateFiles}. */
export interface CertificateFilePaths {
  /** `<dir>/certificates/<name>`: a symlink to the current version, swapped atomically on every renewal. */
  readonly directory: string;
  /** Leaf certificate followed by the chain (what nginx `ssl_certificate` and most servers want). Mode 0644. */
  readonly fullchain: string;
  /** The private key. Mode 0600. Absent from a version whose key is external (`CertificateRecord.externalKey`). */
  readonly privkey: string;
  /** The leaf certificate alone. Mode 0644. */
  readonly cert: string;
  /** The intermediates alone (Apache's SSLCertificateChainFile, HAProxy issuers). Mode 0644. */
  readonly chain: string;
}

/**
 * Where the FileStore at `storeDirectory` keeps the PEM files of the certificate stored under `key`:
 * `<storeDirectory>/certificates/<name>/{fullchain,privkey,cert,chain}.pem`, `<name>` from
 * {@link certificateDirectoryName}. The paths stay the same across renewals; their contents change together.
 */
export function certificateFiles(storeDirectory: string, key: string): CertificateFilePaths {
  const directory = join(storeDirectory, 'certificates', certificateDirectoryName(key));
  return {
    directory,
    fullchain: join(directory, 'fullchain.pem'),
    privkey: join(directory, 'privkey.pem'),
    cert: join(directory, 'cert.pem'),
    chain: join(directory, 'chain.pem'),
  };
}

const pemBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\r?\n?/g;

/**
 * Certificates as versioned directories behind one symlink per certificate:
 *
 *     certificates/example.test -> .versions/example.test/<version>/
 *         record.json (0600)  fullchain.pem  cert.pem  chain.pem (0644)  privkey.pem (0600)
 *
 * A new version is written and fsync'd completely, then the symlink is replaced by rename(2). Readers, the
 * store's and a web server's alike, therefore see the old certificate with the old key or the new with the new,
 * never a mix: replacing four files one by one (certbot's per-file links) has a moment where the key does not
 * match the certificate. The previous version is kept, so a reader that resolved the old link just before the
 * swap still reads whole files. Callers hold the certificate's lock while writing or removing.
 *
 * Removal unlinks the symlink first (durably), then the versions: once the link is gone the certificate is
 * gone for every reader. Versions left without a link by a process killed in between (or before its first
 * swap) are cleared when a store opens, once they are old enough not to be a write in progress.
 */
export class CertificateFiles {
  private readonly versions: string;

  constructor(private readonly directory: string) {
    this.versions = join(directory, '.versions');
  }

  async init(): Promise<void> {
    await ensureDirectory(this.versions);
    await this.removeOrphanVersions();
  }

  async read(key: string): Promise<CertificateRecord | undefined> {
    const name = certificateDirectoryName(key);
    const path = join(this.directory, name, 'record.json');
    const record = await readJson<CertificateRecord>(path);
    if (record !== undefined && record.key !== key) {
      throw storeCorruptError(path, `it holds the certificate "${record.key}", not "${key}"`);
    }
    return record;
  }

  /** The directory names of every stored certificate (unsorted). */
  async names(): Promise<string[]> {
    try {
      return (await readdir(this.directory)).filter((name) => !name.startsWith('.'));
    } catch (error) {
      throw storeIoError('listing certificates', this.directory, error);
    }
  }

  /** The certificates directory's times (its mtime changes whenever a certificate is added, switched or removed). */
  async directoryTimes(): Promise<{ mtimeNs: bigint }> {
    try {
      return await stat(this.directory, { bigint: true });
    } catch (error) {
      throw storeIoError('listing certificates', this.directory, error);
    }
  }

  async readByName(name: string): Promise<CertificateRecord | undefined> {
    return readJson<CertificateRecord>(join(this.directory, name, 'record.json'));
  }

  async write(record: CertificateRecord): Promise<void> {
    const name = certificateDirectoryName(record.key);
    const parent = join(this.versions, name);
    const version = `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
    const target = join(parent, version);
    const link = join(this.directory, name);
    const draftLink = join(this.directory, `.tmp-${name}-${version}`);
    try {
      await ensureDirectory(parent);
      await mkdir(target, { mode: 0o700 });
      const [leaf = '', ...chain] = record.certificatePem.match(pemBlock) ?? [];
      await Promise.all([
        writeAndSync(join(target, 'record.json'), JSON.stringify(record), 0o600),
        // An external key (the caller's own CSR) has no privkey.pem: the new version simply holds none.
        ...(record.keyPem !== undefined
          ? [writeAndSync(join(target, 'privkey.pem'), record.keyPem, 0o600)]
          : []),
        writeAndSync(join(target, 'fullchain.pem'), record.certificatePem, 0o644),
        writeAndSync(join(target, 'cert.pem'), leaf, 0o644),
        writeAndSync(join(target, 'chain.pem'), chain.join(''), 0o644),
      ]);
      // The version's files and its entry in the parent: both before the switch, in either order.
      await Promise.all([syncDirectory(target), syncDirectory(parent)]);
      const previous = await readlink(link).catch(() => undefined);
      // A relative target, so the store directory can be moved or mounted elsewhere.
      await symlink(join('.versions', name, version), draftLink);
      await rename(draftLink, link);
      await syncDirectory(this.directory);
      await this.dropOldVersions(parent, [version, previous?.split('/').at(-1)]);
    } catch (error) {
      await unlink(draftLink).catch(() => {});
      if (CertkeeperError.isInstance(error)) throw error;
      throw storeIoError(`writing the certificate "${record.key}"`, link, error);
    }
  }

  async remove(key: string): Promise<void> {
    const name = certificateDirectoryName(key);
    await removeDurably(join(this.directory, name));
    const parent = join(this.versions, name);
    try {
      await rm(parent, { recursive: true, force: true });
    } catch (error) {
      throw storeIoError(`removing the files of the certificate "${key}"`, parent, error);
    }
    await syncDirectory(this.versions);
  }

  /** Version directories of certificates that have no link: removed ones a kill interrupted, never-linked ones. */
  private async removeOrphanVersions(): Promise<void> {
    const cutoff = Date.now() - abandonedAfterMs;
    for (const name of await readdir(this.versions).catch(() => [] as string[])) {
      const linked = await lstat(join(this.directory, name)).catch(() => undefined);
      if (linked) continue;
      const parent = join(this.versions, name);
      const info = await lstat(parent).catch(() => undefined);
      if (info && info.mtimeMs < cutoff) await rm(parent, { recursive: true, force: true }).catch(() => {});
    }
  }

  private async dropOldVersions(parent: string, keep: readonly (string | undefined)[]): Promise<void> {
    // Also clears versions half-written by a process killed before its swap. Best effort: a failure here
    // leaves only garbage behind, never a wrong certificate.
    for (const entry of await readdir(parent).catch(() => [] as string[])) {
      if (!keep.includes(entry))
        await rm(join(parent, entry), { recursive: true, force: true }).catch(() => {});
    }
  }
}
