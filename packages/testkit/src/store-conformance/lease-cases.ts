import assert from 'node:assert/strict';
import type { Lease, Store } from '@certkeeper/store';
import { unique } from './fixtures.js';
import { type StoreConformanceCase, sleep } from './store-case.js';

async function acquire(store: Store, name: string, holder: string, ttlMs: number): Promise<Lease> {
  const lease = await store.acquireLease(name, holder, ttlMs);
  assert.ok(lease, `${holder} could not take the free lease "${name}"`);
  assert.equal(lease.name, name);
  assert.equal(lease.holder, holder);
  assert.ok(
    Number.isSafeInteger(lease.token) && lease.token > 0,
    `token ${lease.token} is not a positive integer`,
  );
  const remaining = Date.parse(lease.expiresAt) - Date.now();
  // Generous bounds: a database backend may use its own clock.
  assert.ok(
    remaining > ttlMs - 5_000 && remaining <= ttlMs + 5_000,
    `expiresAt is ${remaining} ms away, ttl ${ttlMs}`,
  );
  return lease;
}

export const leaseCases: readonly StoreConformanceCase[] = [
  {
    id: 'lease-exclusive',
    title: 'a lease has one holder; others get undefined until it is released',
    async run({ store }) {
      const name = unique('lease');
      const lease = await acquire(store, name, 'worker-a', 30_000);
      assert.equal(await store.acquireLease(name, 'worker-b', 30_000), undefined);
      assert.equal(await store.acquireLease(name, 'worker-c', 30_000), undefined);
      await acquire(store, unique('lease'), 'worker-b', 30_000);
      await store.releaseLease(lease);
      const next = await acquire(store, name, 'worker-b', 30_000);
      assert.ok(next.token > lease.token, `token went from ${lease.token} to ${next.token} across holders`);
    },
  },
  {
    id: 'lease-renew',
    title: 're-acquiring by the holder renews the lease and keeps its token',
    async run({ store }) {
      const name = unique('lease');
      const first = await acquire(store, name, 'worker-a', 1_000);
      await sleep(20);
      const renewed = await acquire(store, name, 'worker-a', 60_000);
      assert.equal(
        renewed.token,
        first.token,
        'a renewal is the same lease: the fencing token must not change',
      );
      assert.ok(
        Date.parse(renewed.expiresAt) > Date.parse(first.expiresAt),
        'the renewal did not extend expiresAt',
      );
      await sleep(1_100);
      assert.equal(
        await store.acquireLease(name, 'worker-b', 1_000),
        undefined,
        'the renewed lease expired early',
      );
    },
  },
  {
    id: 'lease-expiry',
    title: 'an expired lease can be taken by another holder, with a greater token',
    async run({ store }) {
      const name = unique('lease');
      const first = await acquire(store, name, 'worker-a', 300);
      assert.equal(await store.acquireLease(name, 'worker-b', 300), undefined);
      await sleep(450);
      const second = await acquire(store, name, 'worker-b', 30_000);
      assert.ok(second.token > first.token, `token went from ${first.token} to ${second.token}`);
      const back = await store.acquireLease(name, 'worker-a', 30_000);
      assert.equal(back, undefined, 'the old holder took back a lease that had passed to another');
    },
  },
  {
    id: 'lease-token-monotonic',
    title: 'fencing tokens strictly increase across holders, also after releases',
    async run({ store }) {
      const name = unique('lease');
      const tokens: number[] = [];
      for (const holder of ['a', 'b', 'a', 'c', 'b']) {
        const lease = await acquire(store, name, `worker-${holder}`, 30_000);
        tokens.push(lease.token);
        await store.releaseLease(lease);
      }
      for (let i = 1; i < tokens.length; i += 1) {
        assert.ok(tokens[i]! > tokens[i - 1]!, `tokens ${tokens.join(', ')} do not strictly increase`);
      }
    },
  },
  {
    id: 'lease-stale-release',
    title: 'a release by a stale holder (expired, or a wrong token) leaves the current holder in place',
    async run({ store }) {
      const name = unique('lease');
      const stale = await acquire(store, name, 'worker-a', 200);
      await sleep(350);
      const current = await acquire(store, name, 'worker-b', 30_000);
      await store.releaseLease(stale);
      assert.equal(
        await store.acquireLease(name, 'worker-c', 30_000),
        undefined,
        'a stale release freed the lease',
      );
      await store.releaseLease({ ...current, token: current.token - 1 });
      await store.releaseLease({ ...current, holder: 'worker-a' });
      assert.equal(
        await store.acquireLease(name, 'worker-c', 30_000),
        undefined,
        'a mismatched release freed it',
      );
      await store.releaseLease(current);
      await acquire(store, name, 'worker-c', 30_000);
    },
  },
  {
    id: 'lease-get',
    title: 'getLease shows the live lease (holder, token, expiry) and nothing when free, expired or released',
    async run({ store }) {
      const name = unique('lease');
      assert.equal(await store.getLease(name), undefined, 'a lease never taken is free');
      const held = await acquire(store, name, 'worker-a', 30_000);
      assert.deepEqual(await store.getLease(name), held, 'getLease differs from the lease acquired');
      const renewed = await acquire(store, name, 'worker-a', 60_000);
      assert.deepEqual(await store.getLease(name), renewed, 'getLease does not show the renewal');
      await store.releaseLease(renewed);
      assert.equal(await store.getLease(name), undefined, 'a released lease is shown as held');

      const expiring = unique('lease');
      await acquire(store, expiring, 'worker-b', 300);
      assert.equal((await store.getLease(expiring))?.holder, 'worker-b');
      await sleep(450);
      assert.equal(await store.getLease(expiring), undefined, 'an expired lease is shown as held');
      const next = await acquire(store, expiring, 'worker-c', 30_000);
      assert.deepEqual(await store.getLease(expiring), next);
    },
  },
];
