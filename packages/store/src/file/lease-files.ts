import { join } from 'node:path';
import { leaseHolderIsDead } from '../lease/lease-holder.js';
import type { Lease } from '../port/records.js';
import { readJson, writeFileDurably } from './durable-fs.js';
import type { FileLocks } from './file-lock.js';
import { hashedName } from './safe-name.js';

/**
 * What a lease file holds. It outlives the lease: `lastToken` stays after a release or expiry, so the next
 * holder's fencing token is greater than every token issued before, in any process, across restarts.
 */
interface LeaseFile {
  readonly name: string;
  readonly lastToken: number;
  readonly holder?: string;
  readonly expiresAt?: string;
}

/**
 * Leases as one small file per name, read-modified-written under the name's cross-process lock. A live lease
 * whose holder is provably dead ({@link leaseHolderIsDead}: same host, boot and pid namespace, pid gone or
 * reused) is taken over at once with token + 1, instead of blocking every run until its expiry.
 */
export class LeaseFiles {
  constructor(
    private readonly directory: string,
    private readonly locks: FileLocks,
    private readonly now: () => Date,
  ) {}

  acquire(name: string, holder: string, ttlMs: number): Promise<Lease | undefined> {
    return this.locks.withLock(`lease ${name}`, async () => {
      const path = this.path(name);
      const current = await readJson<LeaseFile>(path);
      const now = this.now().getTime();
      const live = current?.holder !== undefined && Date.parse(current.expiresAt ?? '') > now;
      const renewing = live && current?.holder === holder;
      if (live && !renewing && !(await leaseHolderIsDead(current!.holder!))) return undefined;
      const lastToken = current?.lastToken ?? 0;
      // The holder renewing a live lease keeps its token: it is the same lease, and fenced writes stay valid.
      const token = renewing ? lastToken : lastToken + 1;
      const lease: Lease = { name, holder, token, expiresAt: new Date(now + ttlMs).toISOString() };
      await writeFileDurably(
        path,
        JSON.stringify({ name, lastToken: token, holder, expiresAt: lease.expiresAt }),
      );
      return lease;
    });
  }

  /** The live lease on `name`, if any. No lock: the file is replaced atomically. */
  async read(name: string): Promise<Lease | undefined> {
    const current = await readJson<LeaseFile>(this.path(name));
    if (current?.holder === undefined || current.expiresAt === undefined) return undefined;
    if (!(Date.parse(current.expiresAt) > this.now().getTime())) return undefined;
    return { name, holder: current.holder, token: current.lastToken, expiresAt: current.expiresAt };
  }

  release(lease: Lease): Promise<void> {
    return this.locks.withLock(`lease ${lease.name}`, async () => {
      const path = this.path(lease.name);
      const current = await readJson<LeaseFile>(path);
      if (current?.holder !== lease.holder || current.lastToken !== lease.token) return;
      await writeFileDurably(path, JSON.stringify({ name: lease.name, lastToken: current.lastToken }));
    });
  }

  private path(name: string): string {
    return join(this.directory, `${hashedName(name)}.json`);
  }
}
