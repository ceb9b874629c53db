import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, unlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { leaseHolderId } from '../lease/lease-holder.js';
import { FileLocks } from './file-lock.js';
import { hashedName } from './safe-name.js';

describe('FileLocks', () => {
  let directory: string;
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'certkeeper-locks-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });
  const lockPath = (name: string) => join(directory, `${hashedName(name)}.lock`);
  // A lock of process `pid` on this host (this process's holder id with another pid: its start time differs).
  const planted = (pid: number, at = Date.now()) =>
    JSON.stringify({
      holder: leaseHolderId({ description: 'planted' }).replace(`:${process.pid}:`, `:${pid}:`),
      nonce: 'someone-else',
      at,
    });

  it('runs callers of one name one at a time, and leaves no files behind', async () => {
    const locks = new FileLocks(directory);
    let inside = 0;
    let most = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        locks.withLock('x', async () => {
          inside += 1;
          most = Math.max(most, inside);
          await new Promise((resolve) => setTimeout(resolve, 1));
          inside -= 1;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(await readdir(directory)).toEqual([]);
  });

  it('takes over at once a lock whose process has exited (kill -9 inside a critical section)', async () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    await writeFile(lockPath('x'), planted(dead));
    const started = Date.now();
    await new FileLocks(directory, { timeoutMs: 5_000 }).withLock('x', async () => {});
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('waits for a live holder and times out naming it', async () => {
    await writeFile(
      lockPath('x'),
      JSON.stringify({
        holder: leaseHolderId({ description: 'planted' }),
        nonce: 'someone-else',
        at: Date.now(),
      }),
    );
    const error = await new FileLocks(directory, { timeoutMs: 200 })
      .withLock('x', async () => {})
      .catch((e) => e);
    expect(error.code).toBe('CERTKEEPER_ERR_STORE_LOCK_TIMEOUT');
    expect(error.message).toContain(`process ${process.pid} on `);
    expect(error.message).toContain('(planted)');
    expect(error.retryable).toBe(true);
  });

  it('takes over a lock older than staleMs even when its holder cannot be proven dead', async () => {
    const elsewhere = leaseHolderId({ host: 'other-host.test' });
    await writeFile(
      lockPath('x'),
      JSON.stringify({ holder: elsewhere, nonce: 'n', at: Date.now() - 60_000 }),
    );
    await new FileLocks(directory, { timeoutMs: 1_000, staleMs: 30_000 }).withLock('x', async () => {});
  });

  it('takes over an unreadable lock (written before a power loss) once it is a few seconds old', async () => {
    await writeFile(lockPath('x'), '');
    const old = new Date(Date.now() - 10_000);
    await utimes(lockPath('x'), old, old);
    await new FileLocks(directory, { timeoutMs: 1_000 }).withLock('x', async () => {});
  });

  it("a holder whose lock was taken over meanwhile (it stalled past staleMs) leaves the new holder's lock in place", async () => {
    const locks = new FileLocks(directory);
    const fresh = planted(process.pid).replace('someone-else', 'the-new-holder');
    await locks.withLock('x', async () => {
      // Broken and taken by another process while we held it.
      await unlink(lockPath('x'));
      await writeFile(lockPath('x'), fresh);
    });
    expect(await readFile(lockPath('x'), 'utf8')).toBe(fresh);
    // Our own draft is gone: only the other holder's lock is left.
    expect(await readdir(directory)).toEqual([`${hashedName('x')}.lock`]);
  });

  it('removes the drafts of holders killed inside their critical section once they are old, and nothing else', async () => {
    const name = hashedName('x');
    const old = new Date(Date.now() - 60 * 60_000);
    for (const file of [
      `${name}.lock.0123456789abcdef`,
      `${name}.lock.break.0123456789abcdef`,
      `${name}.lock`,
    ]) {
      await writeFile(join(directory, file), planted(1));
      await utimes(join(directory, file), old, old);
    }
    await writeFile(join(directory, `${name}.lock.fedcba9876543210`), planted(1));
    await new FileLocks(directory).removeAbandonedDrafts();
    expect((await readdir(directory)).sort()).toEqual([`${name}.lock`, `${name}.lock.fedcba9876543210`]);
  });
});
