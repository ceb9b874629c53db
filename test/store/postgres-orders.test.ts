import { createPool, PostgresStore } from '@certkeeper/store-postgres';
import { orderRecord } from '@certkeeper/testkit/store-conformance';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChild } from './support/child-process.js';
import { connectionString, requirePostgres, testSchema } from './support/postgres.js';
import { expectRaceOutcome } from './support/race-outcome.js';

const { schema, drop } = testSchema('orders');
beforeAll(requirePostgres);
afterAll(drop);

/** A pool whose next statement matching `pattern` runs, then fails as if the connection died before the reply. */
function poolLosingAcknowledgements(pool: pg.Pool) {
  let pattern: RegExp | undefined;
  const proxy = new Proxy(pool, {
    get(target, property) {
      if (property === 'query') {
        return async (text: string, values: unknown[]) => {
          const result = await target.query(text, values);
          if (pattern?.test(text)) {
            pattern = undefined;
            throw new Error('Connection terminated unexpectedly');
          }
          return result;
        };
      }
      const value = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { pool: proxy, loseNext: (statement: RegExp) => (pattern = statement) };
}

describe('PostgresStore order compare-and-set', () => {
  it('three processes racing one order: each revision is won by exactly one', async () => {
    await (await PostgresStore.open({ connectionString, schema })).close();
    const startAt = String(Date.now());
    const children = [0, 1, 2].map(() =>
      startChild('./postgres-child.ts', ['order-race', startAt, schema, 'raced-order', '20']),
    );
    const store = await PostgresStore.open({ connectionString, schema });
    try {
      await expectRaceOutcome(children, () => store.getOrder('raced-order'), 20);
    } finally {
      await store.close();
    }
  }, 60_000);

  it('a write retried after its acknowledgement was lost is recognised as its own, not a conflict', async () => {
    const real = createPool(connectionString);
    const { pool, loseNext } = poolLosingAcknowledgements(real);
    const store = await PostgresStore.open({ pool, schema });
    try {
      const base = orderRecord('lost-ack');
      loseNext(/^INSERT INTO \S+\.orders/);
      expect((await store.putOrder(base, 0)).revision).toBe(1);
      loseNext(/^UPDATE \S+\.orders/);
      const second = await store.putOrder({ ...base, updatedAt: '2026-11-01T00:09:00.000Z' }, 1);
      expect(second.revision).toBe(2);
      expect(await store.getOrder('lost-ack')).toEqual(second);
      // Another writer's stale write is still refused, after a retry or not.
      loseNext(/^UPDATE \S+\.orders/);
      const stale = await store.putOrder(base, 1).catch((error) => error);
      expect(stale).toMatchObject({ code: 'CERTKEEPER_ERR_STORE_CONFLICT', foundRevision: 2 });
      loseNext(/^DELETE FROM \S+\.orders/);
      await store.deleteOrder('lost-ack', 2);
      expect(await store.getOrder('lost-ack')).toBeUndefined();
    } finally {
      await store.close();
      await real.end();
    }
  });
});
