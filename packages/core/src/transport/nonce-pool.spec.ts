import { describe, expect, it } from 'vitest';
import { NoncePool } from './nonce-pool.js';

describe('NoncePool', () => {
  it('hands out each nonce once, newest first', () => {
    const pool = new NoncePool();
    pool.add('a');
    pool.add('b');
    expect(pool.take()).toBe('b');
    expect(pool.take()).toBe('a');
    expect(pool.take()).toBeUndefined();
  });
  it('drops the oldest beyond capacity and ignores malformed values', () => {
    const pool = new NoncePool(2);
    for (const nonce of ['one', 'two', 'three', 'bad nonce!', '']) pool.add(nonce);
    expect(pool.size).toBe(2);
    expect([pool.take(), pool.take()]).toEqual(['three', 'two']);
  });
});
