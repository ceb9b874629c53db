import { randomBytes } from 'node:crypto';
import { mkdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';

/**
 * Make sure `directory` exists (creating missing levels with `mode`: 0700 for the store, 0755 for outputs) and that a file can be written in it, by
 * writing and removing a probe file. A permission check alone is not enough: root passes `access(W_OK)` on a
 * read-only mount. Called before any order, so a bad output path never costs an issued certificate.
 *
 * @throws CertkeeperError OUTPUT_NOT_WRITABLE naming the directory, what it is for, and the system's reason.
 */
export async function assertWritableDirectory(
  directory: string,
  purpose: string,
  mode = 0o700,
): Promise<void> {
  const probe = join(directory, `.certkeeper-probe-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await mkdir(directory, { recursive: true, mode });
    await writeFile(probe, '', { mode: 0o600 });
    await unlink(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const reasons: Record<string, string> = {
      EACCES: 'permission denied',
      EPERM: 'operation not permitted',
      EROFS: 'read-only file system',
      ENOTDIR: 'a part of the path is a file, not a directory',
      ENOSPC: 'no space left on the device',
    };
    throw new CertkeeperError(
      ErrorCodes.OUTPUT_NOT_WRITABLE,
      `The ${purpose} ${directory} is not writable (${reasons[code] ?? code}); nothing was ordered.`,
      {
        hint: `give the user running certkeeper write access to ${directory}, or choose another directory.`,
        cause: error,
      },
    );
  }
}
