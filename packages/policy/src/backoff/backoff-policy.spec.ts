import { describe, expect, it } from 'vitest';
import { nextRetryAfterFailure } from './backoff-policy.js';

describe('nextRetryAfterFailure', () => {
  const now = new Date('2026-11-22T00:00:00Z');
  const delay = (failures: number, random: number) =>
    nextRetryAfterFailure(failures, now, { random: () => random }).getTime() - now.getTime();
  it('grows 1 min, 10 min, 100 min, 1000 min, then caps at a day (halfway draws)', () => {
    expect([1, 2, 3, 4, 9].map((n) => delay(n, 0.5))).toEqual([
      30_000, 300_000, 3_000_000, 30_000_000, 43_200_000,
    ]);
  });
  it('spreads a fleet with full jitter, but never below a second', () => {
    expect(delay(3, 0)).toBe(1000);
    expect(delay(3, 0.5)).toBe(3_000_000);
  });
});
