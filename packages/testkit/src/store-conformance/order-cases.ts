import assert from 'node:assert/strict';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type { OrderRecord, Store } from '@certkeeper/store';
import { orderRecord, unique } from './fixtures.js';
import type { StoreConformanceCase } from './store-case.js';

/** An order write that differs from `base` in a way a reader can tell (which writer, which step). */
function step(base: Omit<OrderRecord, 'revision'>, label: string): Omit<OrderRecord, 'revision'> {
  return { ...base, updatedAt: new Date().toISOString(), state: { ...base.state, id: label } };
}

/** Asserts that `write` is refused with STORE_CONFLICT naming the key, the expected and the found revision. */
export async function assertConflict(
  write: Promise<unknown>,
  key: string,
  expected: number,
  found: number,
): Promise<void> {
  const error = await write.then(
    () => assert.fail(`a write expecting revision ${expected} of "${key}" succeeded; ${found} is stored`),
    (error: unknown) => error,
  );
  assert.ok(CertkeeperError.isInstance(error), `expected a CertkeeperError, got ${String(error)}`);
  assert.equal(error.code, ErrorCodes.STORE_CONFLICT);
  assert.equal(error.retryable, false, 'a conflict is not retryable as is');
  assert.ok(error.message.includes(key), `the message does not name the key: ${error.message}`);
  const fields = error as unknown as { expectedRevision?: number; foundRevision?: number };
  assert.equal(fields.expectedRevision, expected, 'expectedRevision on the error');
  assert.equal(fields.foundRevision, found, 'foundRevision on the error');
  if (found > 0)
    assert.ok(error.message.includes(String(found)), `the message does not name revision ${found}`);
  if (expected > 0)
    assert.ok(error.message.includes(String(expected)), `the message does not name revision ${expected}`);
}

/** `count` writers racing one compare-and-set from `expected`: exactly one wins, the others see its revision. */
async function race(store: Store, key: string, expected: number, count: number): Promise<OrderRecord> {
  const base = orderRecord(key);
  const attempts = Array.from({ length: count }, (_, i) =>
    store.putOrder(step(base, `writer-${i}`), expected),
  );
  const settled = await Promise.allSettled(attempts);
  const won = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  assert.equal(won.length, 1, `${won.length} of ${count} writers racing from revision ${expected} succeeded`);
  const winner = won[0]!;
  assert.equal(winner.revision, expected + 1);
  await Promise.all(
    attempts.map((attempt, i) =>
      settled[i]!.status === 'rejected' ? assertConflict(attempt, key, expected, expected + 1) : undefined,
    ),
  );
  assert.deepEqual(await store.getOrder(key), winner, 'the stored order is not the winning write');
  return winner;
}

export const orderCases: readonly StoreConformanceCase[] = [
  {
    id: 'order-revision',
    title:
      'putOrder is compare-and-set: revision 1 first, +1 per write; a stale or future revision is refused',
    async run({ store }) {
      const key = unique('order');
      const base = orderRecord(key);
      const first = await store.putOrder(base, 0);
      assert.deepEqual(first, { ...base, revision: 1 }, 'putOrder resolves the record as stored');
      assert.deepEqual(await store.getOrder(key), first);
      // A caller passing a whole OrderRecord back: its stale revision field is ignored, the store sets it.
      const second = await store.putOrder({ ...first, updatedAt: '2026-11-01T00:01:00.000Z' }, 1);
      assert.equal(second.revision, 2);
      assert.equal((await store.getOrder(key))?.updatedAt, '2026-11-01T00:01:00.000Z');
      await assertConflict(store.putOrder(step(base, 'late creator'), 0), key, 0, 2);
      await assertConflict(store.putOrder(step(base, 'stale'), 1), key, 1, 2);
      await assertConflict(store.putOrder(step(base, 'from the future'), 7), key, 7, 2);
      assert.deepEqual(await store.getOrder(key), second, 'a refused write changed the stored order');
      const absent = orderRecord(unique('absent'));
      await assertConflict(store.putOrder(absent, 3), absent.key, 3, 0);
      const detached = await store.putOrder(step(base, 'third'), 2);
      (detached.state.authorizations as unknown[]).length = 0;
      assert.equal((await store.getOrder(key))?.state.authorizations.length, 1, 'copies are detached');
    },
  },
  {
    id: 'order-revision-monotonic',
    title:
      'an order revision never goes backwards: every read sees the latest acknowledged write or a later one',
    async run({ store }) {
      const key = unique('order');
      const base = orderRecord(key);
      let acknowledged = 0;
      let writing = true;
      const reader = (async () => {
        let last = 0;
        while (writing) {
          const seen = (await store.getOrder(key))?.revision ?? 0;
          assert.ok(seen >= last, `a reader saw revision ${seen} after ${last}`);
          last = seen;
        }
      })();
      try {
        for (let n = 1; n <= 30; n += 1) {
          const stored = await store.putOrder(step(base, `step-${n}`), acknowledged);
          assert.equal(stored.revision, n);
          acknowledged = stored.revision;
          const read = await store.getOrder(key);
          assert.ok(read && read.revision >= acknowledged, `read revision ${read?.revision} after ${n}`);
          assert.equal(read.state.id, `step-${n}`);
        }
      } finally {
        writing = false;
      }
      await reader;
    },
  },
  {
    id: 'order-cas-race',
    title: '20 writers racing one order (its creation, then an update): exactly one wins each time',
    async run({ store }) {
      const key = unique('order');
      const created = await race(store, key, 0, 20);
      const advanced = await race(store, key, created.revision, 20);
      assert.equal(advanced.revision, 2);
    },
  },
  {
    id: 'order-delete-revision',
    title: 'deleteOrder with a revision removes only that revision; stale is refused, absent is fine',
    async run({ store }) {
      const key = unique('order');
      const base = orderRecord(key);
      await store.putOrder(base, 0);
      const current = await store.putOrder(step(base, 'second'), 1);
      await assertConflict(store.deleteOrder(key, 1), key, 1, 2);
      assert.deepEqual(await store.getOrder(key), current, 'a refused delete removed the order');
      await store.deleteOrder(key, 2);
      assert.equal(await store.getOrder(key), undefined);
      await store.deleteOrder(key, 2);
      await store.deleteOrder(unique('never-stored'), 5);
      // A deleted order is created again from revision 0.
      assert.equal((await store.putOrder(base, 0)).revision, 1);
      await store.deleteOrder(key);
      assert.equal(await store.getOrder(key), undefined, 'deleteOrder without a revision is unconditional');
    },
  },
];
