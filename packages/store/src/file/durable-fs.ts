import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
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
    if (umaskFilters(mode)) await handle.chmod(mode);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

let umask: number | undefined | null;

/**
 * Whether the process umask may clear bits of `mode` at open(2), so an fchmod must set it exactly. The umask is
 * read once from /proc/self/status (Linux; it is never changed by certkeeper); where it cannot be read, always.
 */
export function umaskFilters(mode: number): boolean {
  if (umask === undefined) {
    try {
      const found = /^Umask:\s*([0-7]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
      umask = found === undefined ? null : Number.parseInt(found, 8);
    } catch {
      umask = null;
    }
  }
  return umask === null || (mode & umask) !== 0;
}

interface DirectorySyncs {
  /** The fsync that will start next: every caller that arrives before it starts is covered by it. */
  queued?: Promise<void>;
  /** The fsync under way: it may have started before a newcomer's change, so it does not cover the newcomer. */
  running?: Promise<void>;
}

const directorySyncs = new Map<string, DirectorySyncs>();

/**
 * fsync a directory, so the entries created, renamed or removed in it survive a power loss. Group commit: callers
 * for one directory that arrive while an fsync of it is under way share the next one, which starts after their
 * call — so each caller's change (made before it called) is covered, and the directory is opened and synced once
 * for all of them instead of once each.
 */
export function syncDirectory(path: string): Promise<void> {
  let syncs = directorySyncs.get(path);
  if (!syncs) {
    syncs = {};
    directorySyncs.set(path, syncs);
  }
  if (syncs.queued) return syncs.queued;
  const state = syncs;
  // Starts a turn later at the earliest, so `queued` is set before it is cleared.
  const next: Promise<void> = Promise.resolve().then(async () => {
    await state.running?.catch(() => {});
    if (state.queued === next) state.queued = undefined;
    const run = syncDirectoryOnce(path);
    state.running = run;
    try {
      await run;
    } finally {
      if (state.running === run) state.running = undefined;
      if (!state.running && !state.queued && directorySyncs.get(path) === state) directorySyncs.delete(path);
    }
  });
  state.queued = next;
  return next;
}

async function syncDirectoryOnce(path: string): Promise<void> {
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

/**
 * A small file's text: open, read, close — no fstat for its size (readFile's), as records are a few KB. A read
 * that returns less than it asked for has met the end of a regular file on a local filesystem (records are never
 * written in place: a rename swaps in a whole new file).
 */
export async function readSmallFile(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    let buffer = Buffer.allocUnsafe(16_384);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, null);
      length += bytesRead;
      if (length < buffer.length) break;
      const larger = Buffer.allocUnsafe(buffer.length * 4);
      buffer.copy(larger, 0, 0, length);
      buffer = larger;
    }
    return buffer.toString('utf8', 0, length);
  } finally {
    await handle.close();
  }
}

/** Read and parse a JSON record; `undefined` when it does not exist. */
export async function readJson<T>(path: string): Promise<T | undefined> {
  let text: string;
  try {
    text = await readSmallFile(path);
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

/**
 * Temporary files of writers killed before their rename (`.tmp-…`, or those `isDraft` names): never acknowledged,
 * safe to drop once old.
 */
export async function removeAbandonedDrafts(
  directory: string,
  isDraft: (name: string) => boolean = (name) => name.startsWith('.tmp-'),
): Promise<void> {
  const cutoff = Date.now() - abandonedAfterMs;
  for (const name of await readdir(directory).catch(() => [] as string[])) {
    if (!isDraft(name)) continue;
    const path = join(directory, name);
    const info = await lstat(path).catch(() => undefined);
    if (info && info.mtimeMs < cutoff) await unlink(path).catch(() => {});
  }
}
