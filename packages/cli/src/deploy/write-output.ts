import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { splitPemChain } from '@certkeeper/core';
import type { CertificateRecord } from '@certkeeper/store';

export interface OutputFiles {
  readonly directory: string;
  readonly fullchain: string;
  readonly privkey: string;
  readonly cert: string;
  readonly chain: string;
}

export function outputFiles(directory: string): OutputFiles {
  return {
    directory,
    fullchain: join(directory, 'fullchain.pem'),
    privkey: join(directory, 'privkey.pem'),
    cert: join(directory, 'cert.pem'),
    chain: join(directory, 'chain.pem'),
  };
}

/**
 * Copy a stored certificate to a certificate's `output` directory: fullchain.pem, cert.pem, chain.pem (0644) and
 * privkey.pem (0600). Every file is written and fsync'd under a temporary name first, then all are renamed in a
 * row, so a reader never sees a half-written file; the key is renamed first so that a server reading in between
 * gets the new key with at worst the old chain for a moment, never a truncated file. The store's own
 * `certificates/<name>/` directory switches all four at once (one symlink): point servers there when that matters.
 */
export async function writeOutput(directory: string, record: CertificateRecord): Promise<OutputFiles> {
  const files = outputFiles(directory);
  const [leaf = '', ...chain] = splitPemChain(record.certificatePem);
  await mkdir(directory, { recursive: true, mode: 0o755 });
  const suffix = `.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  const contents: [string, string, number][] = [
    [files.privkey, record.keyPem, 0o600],
    [files.fullchain, record.certificatePem, 0o644],
    [files.cert, leaf, 0o644],
    [files.chain, chain.join(''), 0o644],
  ];
  try {
    for (const [path, text, mode] of contents) {
      const handle = await open(`${path}${suffix}`, 'wx', mode);
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      // The umask may have narrowed the mode; the key must be 0600 and the certificates readable by servers.
      await chmod(`${path}${suffix}`, mode);
    }
    for (const [path] of contents) await rename(`${path}${suffix}`, path);
  } catch (error) {
    await Promise.all(contents.map(([path]) => unlink(`${path}${suffix}`).catch(() => undefined)));
    throw error;
  }
  return files;
}
