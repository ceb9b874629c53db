import { describe, expect, it } from 'vitest';
import { clampRetryAfter, parseRetryAfter } from './retry-after.js';

describe('parseRetryAfter', () => {
  const now = new Date('2026-11-22T10:00:00Z');
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('3600', now)?.toISOString()).toBe('2026-11-22T11:00:00.000Z');
    expect(parseRetryAfter(' 0 ', now)?.toISOString()).toBe(now.toISOString());
  });
  it('reads an HTTP-date', () => {
    expect(parseRetryAfter('Sun, 22 Nov 2026 12:30:00 GMT', now)?.toISOString()).toBe(
      '2026-11-22T12:30:00.000Z',
    );
  });
  it('ignores absent and unparseable values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
  });
});

describe('the Retry-After ceiling', () => {
  const now = new Date('2026-11-22T10:00:00Z');
  const week = '2026-11-29T10:00:00.000Z';

  it('clamps 1e12 seconds (the year 33715) to 7 days, and says what it received', () => {
    const clamps: [string, string][] = [];
    const at = parseRetryAfter('1000000000000', now, {
      onClamp: (received, to) => clamps.push([received, to.toISOString()]),
    });
    expect(at?.toISOString()).toBe(week);
    expect(clamps).toEqual([['1000000000000', week]]);
  });

  it('clamps numbers too large for a Date and far-future HTTP-dates alike', () => {
    expect(parseRetryAfter('9'.repeat(400), now)?.toISOString()).toBe(week);
    expect(parseRetryAfter('Fri, 31 Dec 9999 23:59:59 GMT', now)?.toISOString()).toBe(week);
  });

  it('keeps values at or under the ceiling, and takes a configured ceiling', () => {
    expect(parseRetryAfter(String(7 * 86_400), now)?.toISOString()).toBe(week);
    expect(parseRetryAfter('7200', now, { maxMs: 3_600_000 })?.toISOString()).toBe(
      '2026-11-22T11:00:00.000Z',
    );
  });

  it('bounds a retry time from elsewhere with the same ceiling', () => {
    expect(clampRetryAfter(new Date('3000-01-01T00:00:00Z'), now).toISOString()).toBe(week);
    expect(clampRetryAfter(new Date('2026-11-23T00:00:00Z'), now).toISOString()).toBe(
      '2026-11-23T00:00:00.000Z',
    );
    expect(clampRetryAfter(new Date(Number.NaN), now).toISOString()).toBe(week);
  });
});
