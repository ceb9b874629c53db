import { randomBytes } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Writes `content` to `<directory>/<name>` through a temporary file in the same directory and a rename, so a
 * web server reading the file concurrently sees either nothing or the whole content, never a partial body.
 *
 * The temporary file is created with O_EXCL (an existing file or symlink of that name makes it fail instead of
 * being followed); rename replaces a symlink at the final name rather than writing through it. `name` MUST be
 * a validated single path segment.
 */
export async function writeFileAtomic(
  directory: string,
  name: string,
  content: string,
  mode: number,
): Promise<void> {
  const temporary = join(directory, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', mode);
  try {
    try {
      await handle.writeFile(content, 'ascii');
      // The umask may have stripped bits from `mode`; the web server needs to read the file.
      await handle.chmod(mode);
    } finally {
      await handle.close();
    }
    await rename(temporary, join(directory, name));
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
