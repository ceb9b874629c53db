import { randomBytes } from 'node:crypto';
import { link, lstat, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { describeLeaseHolder, leaseHolderId, leaseHolderIsDead } from '../lease/lease-holder.js';
import { readSmallFile, removeAbandonedDrafts } from './durable-fs.js';
import { hashedName } from './safe-name.js';
import { errnoCode, storeIoError } from './store-io-error.js';

export interface FileLockOptions {
  /** Give up waiting for a lock held by a live process after this long. Default 20 s. */
  readonly timeoutMs?: number;
  /**
   * A lock older than this is taken over even if its holder cannot be proven dead (it lives in another pid
   * namespace or on another host sharing the directory). Critical sections last milliseconds. Default 30 s.
   */
  readonly staleMs?: number;
}

interface LockOwner {
  /** Who holds it ({@link leaseHolderId}): host, boot, pid namespace, pid and its start time. */
  readonly holder: string;
  readonly nonce: string;
  readonly at: number;
}

let processHolder: string | undefined;

/** A lock's draft (`<hash>.lock.<nonce>`) or a stale-breaker's (`<hash>.lock.break.<nonce>`). */
const lockDraft = /^[0-9a-f]{40}\.lock\.(?:break\.)?[0-9a-f]{16}$/;

/**
 * Short critical sections shared by every process using one store directory (a daemon and a cron `renew`).
 *
 * A lock is a file created with link(2), which fails with EEXIST when the name is taken and makes the owner
 * visible atomically with the lock. A lock left by a process that died (kill -9 in the middle of a write) is
 * taken over at once, because its holder is provably dead (its pid is gone or reused: {@link leaseHolderIsDead});
 * proper-lockfile's mtime-only staleness would stall the next
 * process for its whole stale period after every crash, and it throws from a timer when it cannot refresh.
 * Two processes breaking the same stale lock are serialised by a second, short-lived `.break` lock, so neither
 * removes the fresh lock the other just took. The holder keeps the draft it linked from until it releases: while
 * the lock is its own, the two names are one file with two links, so release checks one link count (lstat)
 * instead of reading the lock back. Callers in this process queue in memory first, so they never
 * poll against each other.
 */
export class FileLocks {
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly timeoutMs: number;
  private readonly staleMs: number;

  constructor(
    private readonly directory: string,
    options: FileLockOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 20_000;
    this.staleMs = options.staleMs ?? 30_000;
  }

  /** Run `work` while holding the lock `name` in this process and every other one on the directory. */
  async withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(name) ?? Promise.resolve();
    const run = previous.then(async () => {
      const path = join(this.directory, `${hashedName(name)}.lock`);
      const owner = await this.acquire(name, path);
      try {
        return await work();
      } finally {
        await this.release(path, owner);
      }
    });
    const tail = run.catch(() => {});
    this.queues.set(name, tail);
    void tail.then(() => {
      if (this.queues.get(name) === tail) this.queues.delete(name);
    });
    return run;
  }

  private async acquire(name: string, path: string): Promise<LockOwner> {
    processHolder ??= leaseHolderId({ description: 'store lock' });
    const owner: LockOwner = {
      holder: processHolder,
      nonce: randomBytes(8).toString('hex'),
      at: Date.now(),
    };
    const draft = draftOf(path, owner);
    let held = false;
    try {
      // Not fsync'd: a lock is not state. After a power loss every lock is stale anyway.
      await writeFile(draft, JSON.stringify(owner), { mode: 0o600 });
      const started = Date.now();
      for (let attempt = 0; ; attempt += 1) {
        if (await tryLink(draft, path)) {
          held = true;
          return owner;
        }
        const holder = await readOwner(path);
        if (holder === 'absent') continue;
        if (await this.isStale(path, holder)) {
          await this.breakStale(path, holder);
          continue;
        }
        if (Date.now() - started > this.timeoutMs) throw this.timeout(name, path, holder);
        await new Promise((resolve) => setTimeout(resolve, Math.min(1 + attempt, 25)));
      }
    } catch (error) {
      if (CertkeeperError.isInstance(error)) throw error;
      throw storeIoError(`taking the lock "${name}"`, path, error);
    } finally {
      // Held, the draft stays until release: its link count says whether the lock is still ours.
      if (!held) await unlink(draft).catch(() => {});
    }
  }

  private async release(path: string, owner: LockOwner): Promise<void> {
    const draft = draftOf(path, owner);
    // Only remove our own lock: if we stalled past staleMs, another process may have broken it (and taken it).
    // The lock and our draft are one file (link(2)) as long as nobody removed the lock: two links.
    const links = await lstat(draft).then(
      (info) => info.nlink,
      () => 0,
    );
    if (links >= 2) await unlink(path).catch(() => {});
    await unlink(draft).catch(() => {});
  }

  /**
   * Drafts left by processes killed while they held a lock (or were taking one): a lock is held for milliseconds
   * and taken over after staleMs, so a draft this old belongs to no live holder. Its lock, if any, stays until it
   * is taken over as usual.
   */
  removeAbandonedDrafts(): Promise<void> {
    return removeAbandonedDrafts(this.directory, (name) => lockDraft.test(name));
  }

  private async isStale(path: string, holder: LockOwner | undefined): Promise<boolean> {
    if (holder === undefined) {
      // Unreadable content: written before a power loss. Give a writer in progress a moment, then take it.
      const info = await stat(path).catch(() => undefined);
      return info !== undefined && Date.now() - info.mtimeMs > 2_000;
    }
    if (Date.now() - holder.at > this.staleMs) return true;
    return leaseHolderIsDead(holder.holder);
  }

  private async breakStale(path: string, observed: LockOwner | undefined): Promise<void> {
    const breaker = `${path}.break`;
    const draft = `${breaker}.${randomBytes(8).toString('hex')}`;
    await writeFile(draft, String(Date.now()), { mode: 0o600 });
    try {
      if (!(await tryLink(draft, breaker))) {
        // Another process is breaking it; a breaker that died mid-way leaves a `.break` file we clear later.
        const info = await stat(breaker).catch(() => undefined);
        if (info && Date.now() - info.mtimeMs > 5_000) await unlink(breaker).catch(() => {});
        return;
      }
      try {
        const now = await readOwner(path);
        if (now === 'absent') return;
        if (now?.nonce === observed?.nonce) await unlink(path).catch(() => {});
      } finally {
        await unlink(breaker).catch(() => {});
      }
    } finally {
      await unlink(draft).catch(() => {});
    }
  }

  private timeout(name: string, path: string, holder: LockOwner | undefined): CertkeeperError {
    const who = holder ? describeLeaseHolder(holder.holder) : 'an unknown process';
    const held = holder ? `, held for ${Date.now() - holder.at} ms` : '';
    return new CertkeeperError(
      ErrorCodes.STORE_LOCK_TIMEOUT,
      `FileStore: the lock "${name}" (${path}) is held by ${who}${held}; gave up after ${this.timeoutMs} ms.`,
      {
        hint: 'check whether that process is hung and stop it; a lock whose process has exited is taken over at once.',
        retryable: true,
      },
    );
  }
}

/** The file a lock is linked from, named by its owner's nonce; it lives as long as the lock is held. */
function draftOf(path: string, owner: LockOwner): string {
  return `${path}.${owner.nonce}`;
}

async function tryLink(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch (error) {
    if (errnoCode(error) === 'EEXIST') return false;
    throw error;
  }
}

/** The lock's owner, `undefined` when its content cannot be read, `'absent'` when there is no lock. */
async function readOwner(path: string): Promise<LockOwner | undefined | 'absent'> {
  let text: string;
  try {
    text = await readSmallFile(path);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return 'absent';
    throw error;
  }
  try {
    const owner = JSON.parse(text) as LockOwner;
    // A lock file from before holder ids (no `holder`) reads as unreadable: taken over once a few seconds old.
    return typeof owner.holder === 'string' && typeof owner.nonce === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}
