import { describe, expect, it } from 'vitest';
import { RecentValues } from './recent-values.js';

describe('RecentValues', () => {
  it('computes a value once while its key stays among the most recent', () => {
    const values = new RecentValues<number>(2);
    let computed = 0;
    const compute = () => ++computed;
    expect(values.get('a', compute)).toBe(1);
    expect(values.get('a', compute)).toBe(1);
    expect(computed).toBe(1);
  });

  it('forgets the least recently used key beyond its capacity', () => {
    const values = new RecentValues<string>(2);
    const seen: string[] = [];
    const get = (key: string) =>
      values.get(key, () => {
        seen.push(key);
        return key.toUpperCase();
      });
    get('a');
    get('b');
    get('a'); // used again: b is now the oldest
    get('c'); // evicts b
    get('a');
    get('b');
    expect(seen).toEqual(['a', 'b', 'c', 'b']);
  });

  it('keeps falsy values and keeps nothing when the computation throws', () => {
    const values = new RecentValues<number | undefined>(4);
    let calls = 0;
    const count =
      <V>(value: V) =>
      () => {
        calls++;
        return value;
      };
    values.get('zero', count(undefined));
    values.get('zero', count(1));
    expect(calls).toBe(1);
    expect(() =>
      values.get('bad', () => {
        throw new Error('unreadable');
      }),
    ).toThrow('unreadable');
    expect(values.get('bad', () => 7)).toBe(7);
  });
});
