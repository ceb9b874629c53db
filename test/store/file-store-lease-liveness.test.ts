import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeLeaseHolder, FileStore, leaseHolderId } from '@certkeeper/store';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Child, startChild } from './support/child-process.js';

/** The `held <token> <expiresAt> <holder>` line of a child holding a lease. */
async function held(child: Child) {
  const line = await child.waitFor((text) => text.startsWith('held '));
  const [, token, expiresAt, ...holder] = line.split(' ');
  return { token: Number(token), expiresAt: expiresAt!, holder: holder.join(' ') };
}

// Issue 10: a run killed with SIGKILL blocked the next one silently until its 300 s lease expired. A holder
// that provably died (same host, boot and pid namespace; pid gone or reused) is now taken over at once.
describe('FileStore leases whose holder died', () => {
  let directory: string;
  let store: FileStore;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'certkeeper-liveness-'));
    store = await FileStore.open({ directory });
  });
  afterAll(async () => {
    await store.close();
    await rm(directory, { recursive: true, force: true });
  });

  it('a holder killed with SIGKILL: the next process takes its 60 s lease at once, with a greater token', async () => {
    const child = startChild('./file-store-child.ts', ['hold-lease', directory, 'killed', '60000']);
    const lease = await held(child);
    const shown = await store.getLease('killed');
    expect(shown?.holder).toBe(lease.holder);
    expect(describeLeaseHolder(shown!.holder)).toBe(
      `process ${child.process.pid} on ${hostname()} (test holder)`,
    );
    expect(await store.acquireLease('killed', leaseHolderId(), 60_000)).toBeUndefined();

    const killedAt = Date.now();
    child.process.kill('SIGKILL');
    await child.exited;
    const taken = await store.acquireLease('killed', leaseHolderId({ description: 'next run' }), 60_000);
    const tookMs = Date.now() - killedAt;
    expect(taken?.token).toBe(lease.token + 1);
    expect(tookMs).toBeLessThan(2_000);
    expect(Date.parse(lease.expiresAt) - Date.now()).toBeGreaterThan(50_000);
  });

  it('a holder that is alive keeps its lease', async () => {
    const child = startChild('./file-store-child.ts', ['hold-lease', directory, 'alive', '60000']);
    try {
      const lease = await held(child);
      expect(await store.acquireLease('alive', leaseHolderId(), 60_000)).toBeUndefined();
      expect(await store.getLease('alive')).toMatchObject({ holder: lease.holder, token: lease.token });
    } finally {
      child.process.kill('SIGKILL');
      await child.exited;
    }
  });

  it('a holder from another host is not taken over before its lease expires, even when killed', async () => {
    const child = startChild('./file-store-child.ts', [
      'hold-lease',
      directory,
      'elsewhere',
      '3000',
      'host-b.test',
    ]);
    const lease = await held(child);
    child.process.kill('SIGKILL');
    await child.exited;
    expect(describeLeaseHolder(lease.holder)).toBe(
      `process ${child.process.pid} on host-b.test (test holder)`,
    );
    expect(await store.acquireLease('elsewhere', leaseHolderId(), 60_000)).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, Date.parse(lease.expiresAt) - Date.now() + 50));
    expect((await store.acquireLease('elsewhere', leaseHolderId(), 60_000))?.token).toBe(lease.token + 1);
  });

  it('a holder in another pid namespace (a container sharing the volume) is never taken over before its expiry', async () => {
    // Inside its namespace the holder is pid 1 with its own start time; here pid 1 is init, started at another
    // time: a check on pid and start time alone would call the live holder dead and steal its lease.
    // --kill-child: killing unshare kills the holder too (else it lives on, orphaned, in its namespace).
    const unshare = ['unshare', '--pid', '--fork', '--mount-proc', '--kill-child=SIGKILL'];
    const probe = spawnSync(unshare[0]!, [...unshare.slice(1), 'true']);
    if (probe.status !== 0)
      throw new Error(
        `this test needs unshare(1) with pid namespaces (root or user namespaces): ${probe.stderr}`,
      );
    const child = startChild(
      './file-store-child.ts',
      ['hold-lease', directory, 'container', '4000'],
      {},
      unshare,
    );
    try {
      const lease = await held(child);
      expect(lease.holder.split(':')[5], 'the holder is pid 1 in its own namespace').toBe('1');
      expect(await store.acquireLease('container', leaseHolderId(), 60_000)).toBeUndefined();
      child.process.kill('SIGKILL');
      await child.exited;
      expect(await store.acquireLease('container', leaseHolderId(), 60_000)).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, Date.parse(lease.expiresAt) - Date.now() + 50));
      expect((await store.acquireLease('container', leaseHolderId(), 60_000))?.token).toBe(lease.token + 1);
    } finally {
      child.process.kill('SIGKILL');
    }
  });
});
