import { describe, expect, it } from 'vitest';
import { databaseError, isTransient, withRetry } from './pg-errors.js';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isTransient', () => {
  it('retries what a restart or a failover produces, not what the statement got wrong', () => {
    expect(isTransient(pgError('57P01', 'terminating connection due to administrator command'))).toBe(true);
    expect(isTransient(pgError('57P03', 'the database system is starting up'))).toBe(true);
    expect(isTransient(pgError('08006'))).toBe(true);
    expect(isTransient(pgError('ECONNREFUSED'))).toBe(true);
    expect(isTransient(pgError('40P01', 'deadlock detected'))).toBe(true);
    expect(isTransient(new Error('Connection terminated unexpectedly'))).toBe(true);
    expect(isTransient(pgError('23505', 'duplicate key'))).toBe(false);
    expect(isTransient(pgError('42P01', 'relation does not exist'))).toBe(false);
  });
});

describe('withRetry', () => {
  it('retries a transient failure until it succeeds', async () => {
    let calls = 0;
    const result = await withRetry('test', { timeoutMs: 5_000 }, async () => {
      calls += 1;
      if (calls < 3) throw pgError('57P03');
      return 'ok';
    });
    expect([result, calls]).toEqual(['ok', 3]);
  });

  it('gives up on a permanent failure at once, as a typed error naming the operation', async () => {
    let calls = 0;
    const error = await withRetry('putCertificate "a.test"', {}, async () => {
      calls += 1;
      throw pgError('42P01', 'relation "certificates" does not exist');
    }).catch((e) => e);
    expect(calls).toBe(1);
    expect(error.code).toBe('CERTKEEPER_ERR_STORE_UNAVAILABLE');
    expect(error.message).toContain('putCertificate "a.test"');
    expect(error.retryable).toBe(false);
  });

  it('stops retrying at the time limit', async () => {
    const started = Date.now();
    const error = await withRetry('getOrder', { timeoutMs: 300 }, async () => {
      throw pgError('ECONNREFUSED');
    }).catch((e) => e);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error.retryable).toBe(true);
    expect(databaseError('x', pgError('ECONNREFUSED')).hint).toContain('retry');
  });
});
