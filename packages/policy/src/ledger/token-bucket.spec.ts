import { describe, expect, it } from 'vitest';
import { readBucket } from './token-bucket.js';

const HOUR = 3_600_000;
const WEEK = 168 * HOUR;

describe('readBucket (token bucket as Let’s Encrypt documents its limits)', () => {
  it('is full with no events', () => {
    expect(readBucket([], 5, WEEK, 0)).toEqual({ remaining: 5, nextTokenAt: new Date(0) });
  });
  it('refuses the sixth of five duplicates and opens after one refill interval (33.6 h)', () => {
    const t0 = Date.parse('2026-11-01T00:00:00Z');
    const events = [0, 1, 2, 3, 4].map((i) => t0 + i * 60_000);
    const state = readBucket(events, 5, WEEK, t0 + 10 * 60_000);
    expect(state.remaining).toBe(0);
    const opensAfterMs = state.nextTokenAt.getTime() - t0;
    // The first token comes back 33.6 h after it was spent, less the refill earned during the other four.
    expect(opensAfterMs).toBeGreaterThan(33 * HOUR);
    expect(opensAfterMs).toBeLessThan(34 * HOUR);
  });
  it('refills fully after the window', () => {
    const events = [0, 1, 2, 3, 4];
    expect(readBucket(events, 5, WEEK, WEEK + 10).remaining).toBe(5);
  });
  it('300 orders in 3 h: one token per 36 s', () => {
    const events = Array.from({ length: 300 }, (_, i) => i);
    const state = readBucket(events, 300, 3 * HOUR, 300);
    expect(state.remaining).toBe(0);
    expect(state.nextTokenAt.getTime() - 300).toBeLessThanOrEqual(36_000);
    expect(readBucket(events, 300, 3 * HOUR, 300 + 36_000).remaining).toBe(1);
  });
});
