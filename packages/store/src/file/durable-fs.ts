import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { errnoCode, storeCorruptError, storeIoError } from './store-io-error.js';

/**
 * The write discipline that makes the FileStore crash-safe: write a temporary file beside the target, fsync it,
 * rename it over the target, fsync the directory. rename(2) is atomic, so a reader (or a process started after a
 * kill -9) sees the old file or the new one, never a torn one; the two fsyncs make the rename survive a power
 * loss too, so a write is acknowledged only once it is on disk.
 */
export async function writeFileDurably(path: string, data: string, mode = 0o600): Promise<void> {
  const temporary = join(dirname(path), `.tmp-${basename(path)}-${randomBytes(6).toString('hex')}`);
  try {
    await writeAndSync(temporary, data, mode);
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => {});
    throw storeIoError('writing a record', path, error);
  }
  await syncDirectory(dirname(path));
}

/** Create `path` (which must not exist), write `data`, fsync, close. */
export async function writeAndSync(path: string, data: string, mode: number): Promise<void> {
  const handle = await open(path, 'wx', mode);
  try {
    await handle.writeFile(data);
    // The mode given to open() is filtered by the umask; a key file must be 0600 whatever the umask says.
    await handle.chmod(mode);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** fsync a directory, so the entries created, renamed or removed in it survive a power loss. */
export async function syncDirectory(path: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch (error) {
    throw storeIoError('syncing a directory', path, error);
  } finally {
    await handle?.close();
  }
}

/** Remove a file durably; absent is fine (deletes are idempotent). */
export async function removeDurably(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return;
    throw storeIoError('removing a record', path, error);
  }
  await syncDirectory(dirname(path));
}

/** Create a directory (and its parents), fsyncing the parent when it was created, so it survives a power loss. */
export async function ensureDirectory(path: string, mode = 0o700): Promise<void> {
  try {
    const created = await mkdir(path, { recursive: true, mode });
    if (created === undefined) return;
    // Every level that was created is a new entry in its parent: sync each parent up to the first one created.
    for (let level = path; level !== dirname(created); level = dirname(level)) {
      await syncDirectory(dirname(level));
    }
  } catch (error) {
    throw storeIoError('creating a directory', path, error);
  }
}

/** Read and parse a JSON record; `undefined` when it does not exist. */
export async function readJson<T>(path: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return undefined;
    throw storeIoError('reading a record', path, error);
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw storeCorruptError(path, 'it is not valid JSON', error);
  }
}

/**
 * How old a leftover of an unfinished write (a temporary file, a certificate version never linked) must be
 * before it is removed: far longer than any write takes, so a write in progress in another process is never
 * mistaken for one abandoned by a killed process.
 */
export const abandonedAfterMs = 10 * 60_000;

/** Temporary files of writers killed before their rename: never acknowledged, safe to drop once old. */
export async function removeAbandonedDrafts(directory: string): Promise<void> {
  const cutoff = Date.now() - abandonedAfterMs;
  for (const name of await readdir(directory).catch(() => [] as string[])) {
    if (!name.startsWith('.tmp-')) continue;
    const path = join(directory, name);
    const info = await lstat(path).catch(() => undefined);
    if (info && info.mtimeMs < cutoff) await unlink(path).catch(() => {});
  }
}
