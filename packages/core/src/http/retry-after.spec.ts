import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-after.js';

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
