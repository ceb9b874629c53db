import { MemoryStore } from '@certkeeper/store';
import { describe, expect, it } from 'vitest';
import { RateLimitLedger } from './rate-limit-ledger.js';
import type { RateLimitRuleSet } from './rate-limit-rules.js';

/** One rule: two new orders per account per hour. */
const twoOrders: RateLimitRuleSet = {
  name: 'test',
  renewalLookbackMs: 0,
  rules: [
    {
      name: 'newOrdersPerAccount',
      description: 'new orders per account (2 per hour)',
      counts: 'new-order',
      scope: 'account',
      limit: 2,
      windowMs: 3_600_000,
      exemptions: [],
    },
  ],
};
const clock = { now: () => new Date('2026-12-06T12:00:00Z') };
const subject = (name: string) => ({
  directoryUrl: 'https://ca.test/dir',
  accountUrl: 'https://ca.test/acct/1',
  identifiers: [{ type: 'dns' as const, value: `${name}.example.test` }],
});

describe('RateLimitLedger.admit: certificates checked at once', () => {
  it('admits no more than the budget, across ledgers of one store, until what was admitted is recorded or released', async () => {
    const store = new MemoryStore();
    // Two managers (one per solver set) on one store: each has its own ledger.
    const ledgers = [
      new RateLimitLedger(store, twoOrders, clock),
      new RateLimitLedger(store, twoOrders, clock),
    ];
    const admitted = await Promise.all(
      ['a', 'b', 'c', 'd'].map((name, i) => ledgers[i % 2]!.admit(subject(name), false)),
    );
    expect(admitted.map(({ verdict }) => verdict.allowed)).toEqual([true, true, false, false]);
    // Without holds, all four would have read the same empty ledger and been allowed.
    expect((await ledgers[0]!.check(subject('e'))).allowed).toBe(false);

    // The first order ended without one (refused before newOrder): its token is free again.
    admitted[0]!.release();
    expect((await ledgers[1]!.check(subject('e'))).allowed).toBe(true);
    // The second was placed: recorded, then released — still counted, now from the store.
    await ledgers[1]!.record('new-order', subject('b'));
    admitted[1]!.release('new-order');
    const next = await ledgers[0]!.admit(subject('e'), false);
    expect(next.verdict.allowed).toBe(true);
    expect((await ledgers[0]!.check(subject('f'))).allowed).toBe(false);
    next.release();
    admitted[1]!.release();
  });

  it('resuming an order already placed holds no new order', async () => {
    const store = new MemoryStore();
    const ledger = new RateLimitLedger(store, twoOrders, clock);
    const resumed = await ledger.admit(subject('a'), true);
    const fresh = await ledger.admit(subject('b'), false);
    const third = await ledger.admit(subject('c'), false);
    expect([resumed, fresh, third].map(({ verdict }) => verdict.allowed)).toEqual([true, true, true]);
    expect((await ledger.check(subject('d'))).allowed).toBe(false);
    for (const { release } of [resumed, fresh, third]) release();
    expect((await ledger.check(subject('d'))).allowed).toBe(true);
  });
});
