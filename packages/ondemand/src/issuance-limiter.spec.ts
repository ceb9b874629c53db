import { CertkeeperError } from '@certkeeper/core';
import { describe, expect, it } from 'vitest';
import { IssuanceLimiter } from './issuance-limiter.js';

describe('IssuanceLimiter', () => {
  it('spends a per-name budget, names when it opens again, and leaves other names alone', () => {
    const limiter = new IssuanceLimiter({ perName: { issuances: 2, perMs: 60_000 } });
    limiter.take('a.example.test', 0);
    limiter.take('a.example.test', 1000);
    let refused: unknown;
    try {
      limiter.take('a.example.test', 2000);
    } catch (error) {
      refused = error;
    }
    expect(CertkeeperError.isInstance(refused) && refused.code).toBe('CERTKEEPER_ERR_ON_DEMAND_RATE_LIMITED');
    // One token every 30 s: the first is back 30 s after the first event.
    expect((refused as CertkeeperError).retryAfter?.getTime()).toBe(30_000);
    expect((refused as CertkeeperError).message).toContain('a.example.test');
    expect(() => limiter.take('b.example.test', 2000)).not.toThrow();
    expect(() => limiter.take('a.example.test', 30_000)).not.toThrow();
  });

  it('spends the global budget across names; a refusal spends nothing', () => {
    const limiter = new IssuanceLimiter({ global: { issuances: 3, perMs: 3000 } });
    limiter.take('a.example.test', 0);
    limiter.take('b.example.test', 0);
    limiter.take('c.example.test', 0);
    expect(() => limiter.take('d.example.test', 0)).toThrow(/global on-demand issuance limit/);
    expect(() => limiter.take('d.example.test', 500)).toThrow(/rateLimits\.global/);
    expect(() => limiter.take('d.example.test', 1000)).not.toThrow();
  });

  it('forgets a name whose window has passed: a full budget again', () => {
    const limiter = new IssuanceLimiter({ perName: { issuances: 1, perMs: 10_000 } });
    limiter.take('a.example.test', 0);
    expect(() => limiter.take('a.example.test', 9_999)).toThrow();
    expect(() => limiter.take('a.example.test', 10_000)).not.toThrow();
  });
});
