import { MemoryStore } from '@certkeeper/store';
import { faults } from '@certkeeper/testkit';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type PolicyFixture, startPolicyFixture } from './policy-fixture.js';

const HOUR = 3_600_000;

/** Seed 004, against real Pebble: a renewal request can never burn a rate limit. */
describe('renewal policy against Pebble behind the fault proxy', () => {
  let f: PolicyFixture;
  beforeAll(async () => {
    f = await startPolicyFixture();
  });
  afterEach(() => {
    f.proxy.clearRules();
    f.proxy.clearLog();
  });
  afterAll(() => f?.stop());

  it('200 concurrent requests for a set with a fresh certificate: zero requests to the CA', async () => {
    const coordinator = f.coordinator();
    const request = f.request(['fresh.policy.example.test']);
    expect((await coordinator.ensure(request, f.issue)).type).toBe('issued');
    f.proxy.clearLog();
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, () => coordinator.ensure(request, f.issue)),
    );
    expect(outcomes.every((o) => o.type === 'fresh')).toBe(true);
    expect(outcomes[0]!.reason).toMatch(/^fresh until \S+ \(2\/3 of the [\d.]+-day lifetime\)$/);
    expect(f.proxy.log).toHaveLength(0);
  });

  it('200 concurrent requests for a set with no certificate: exactly one order and one certificate', async () => {
    const coordinator = f.coordinator();
    const request = f.request(['herd.policy.example.test']);
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, () => coordinator.ensure(request, f.issue)),
    );
    expect(f.proxy.count('newOrder', 'POST')).toBe(1);
    expect(f.proxy.count('finalize', 'POST')).toBe(1);
    expect(outcomes.filter((o) => o.type === 'issued' && !o.joined)).toHaveLength(1);
    expect(outcomes.filter((o) => o.joined)).toHaveLength(199);
    const serials = new Set(
      outcomes.map((o) => ('certificate' in o ? o.certificate.serialNumberHex : undefined)),
    );
    expect(serials.size).toBe(1);
    expect(outcomes.find((o) => o.joined)!.reason).toMatch(/^joined flow .*: issued/);
  });

  it('97 queued requests while the CA answers 429 Retry-After 3600: none before the hour, exactly one after', async () => {
    const store = new MemoryStore();
    const coordinator = f.coordinator(store);
    const request = f.request(['limited.policy.example.test']);
    f.proxy.addRule({ kind: 'newOrder', action: faults.rateLimited({ retryAfter: 3600 }) });
    const start = f.clock.now().getTime();
    const queued = await Promise.all(Array.from({ length: 97 }, () => coordinator.ensure(request, f.issue)));
    expect(f.proxy.count('newOrder', 'POST')).toBe(1);
    expect(queued.every((o) => o.type === 'deferred')).toBe(true);
    const until = queued[0]!.type === 'deferred' ? queued[0]!.until.getTime() : 0;
    expect(until).toBe(start + HOUR);
    expect(queued.every((o) => o.type === 'deferred' && o.until.getTime() === until)).toBe(true);
    // Every retry before the hour collapses into the one retry time: nothing reaches the CA.
    for (const minutes of [1, 30, 59]) {
      f.clock.set(new Date(start + minutes * 60_000));
      const retries = await Promise.all(
        Array.from({ length: 97 }, () => coordinator.ensure(request, f.issue)),
      );
      expect(
        retries.every(
          (o) => o.type === 'deferred' && o.until.getTime() === until && o.limit === 'ca:rateLimited',
        ),
      ).toBe(true);
    }
    expect(f.proxy.count('newOrder', 'POST')).toBe(1);
    f.proxy.clearRules();
    f.clock.set(new Date(until + 1000));
    const after = await Promise.all(Array.from({ length: 97 }, () => coordinator.ensure(request, f.issue)));
    expect(f.proxy.count('newOrder', 'POST')).toBe(2);
    expect(after.filter((o) => o.type === 'issued' && !o.joined)).toHaveLength(1);
    expect(after.every((o) => o.type === 'issued')).toBe(true);
  });

  it('a fresh, empty store meeting a 429 records the retry time, and a restarted worker sends nothing before it', async () => {
    const store = new MemoryStore();
    const request = f.request(['rebuilt.policy.example.test']);
    f.proxy.addRule({
      kind: 'newOrder',
      action: faults.rateLimited({
        retryAfter: 7 * 24 * 3600,
        detail: 'too many certificates (5) already issued for this exact set of identifiers in the last 168h',
      }),
    });
    const first = await f.coordinator(store).ensure(request, f.issue);
    expect(first).toMatchObject({ type: 'deferred', limit: 'ca:rateLimited' });
    expect(first.reason).toContain('too many certificates (5)');
    const ledger = await store.queryLedger({
      directoryUrl: request.directoryUrl,
      since: new Date(0).toISOString(),
      kinds: ['rate-limited'],
    });
    expect(ledger).toHaveLength(1);
    // A new worker process on the same store: nothing is asked of the CA before the time given.
    f.clock.advance(3 * 24 * HOUR);
    const again = await f.coordinator(store).ensure(request, f.issue);
    expect(again.type).toBe('deferred');
    expect(f.proxy.count('newOrder', 'POST')).toBe(1);
  });

  it('five issuances of one exact set in 168 h: the sixth is refused locally, naming the limit and when it opens', async () => {
    const store = new MemoryStore();
    const coordinator = f.coordinator(store);
    const request = f.request(['dup.policy.example.test', 'www.dup.policy.example.test']);
    for (let i = 0; i < 5; i++) {
      const outcome = await coordinator.ensure({ ...request, force: i > 0 }, f.issue);
      expect(outcome.type).toBe(i === 0 ? 'issued' : 'renewed');
      f.clock.advance(HOUR);
    }
    expect(f.proxy.count('newOrder', 'POST')).toBe(5);
    const sixth = await coordinator.ensure({ ...request, force: true }, f.issue);
    expect(sixth.type).toBe('deferred');
    if (sixth.type !== 'deferred') return;
    expect(sixth.limit).toBe('certificatesPerExactSet');
    expect(sixth.reason).toContain('certificatesPerExactSet');
    expect(sixth.reason).toContain('5 per 7 days');
    // One token refills every 33.6 h; the first was spent 5 h ago, and 4 h of refill were earned since.
    const opensInHours = (sixth.until.getTime() - f.clock.now().getTime()) / HOUR;
    expect(opensInHours).toBeGreaterThan(28);
    expect(opensInHours).toBeLessThan(34);
    expect(f.proxy.count('newOrder', 'POST')).toBe(5);
  });
});
