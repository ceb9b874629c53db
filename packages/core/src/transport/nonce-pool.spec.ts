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

describe('NoncePool shared by requests in flight', () => {
  it('hands each answer’s nonce to the longest waiter, one each, before the pool', async () => {
    const pool = new NoncePool();
    pool.sending();
    pool.sending();
    const first = pool.next(1000);
    const second = pool.next(1000);
    expect(pool.waiting).toBe(2);
    pool.answered('n1');
    pool.answered('n2');
    expect(await first).toBe('n1');
    expect(await second).toBe('n2');
    // The two waiters now count as on their way; their answers go to the pool, nobody waiting.
    expect(pool.onTheirWay).toBe(2);
    pool.answered('n3');
    expect(pool.take()).toBe('n3');
  });
  it('does not wait when nothing is on its way, and wakes the waiters when the last request brings no nonce', async () => {
    const pool = new NoncePool();
    expect(await pool.next(10_000)).toBeUndefined();
    pool.sending();
    const waiting = pool.next(10_000);
    pool.answered(undefined);
    expect(await waiting).toBeUndefined();
    expect(pool.onTheirWay).toBe(0);
  });
  it('gives up after its wait or on abort, and a later nonce goes to the pool', async () => {
    const pool = new NoncePool();
    pool.sending();
    expect(await pool.next(5)).toBeUndefined();
    const controller = new AbortController();
    const aborted = pool.next(10_000, controller.signal);
    controller.abort();
    expect(await aborted).toBeUndefined();
    expect(pool.waiting).toBe(0);
    pool.answered('late');
    expect(pool.take()).toBe('late');
  });
});
