import { describe, expect, it } from 'vitest';
import { faults, type ProxiedRequest } from './faults.js';
import { InstalledRule } from './rules.js';

const request = (over: Partial<ProxiedRequest> = {}): ProxiedRequest => ({
  method: 'POST',
  path: '/order-plz',
  url: 'https://127.0.0.1:1/order-plz',
  kind: 'newOrder',
  headers: {},
  body: Buffer.alloc(0),
  ...over,
});
const never = () => 0.99;

describe('InstalledRule', () => {
  it('fires `times` times, then lets requests through', () => {
    const rule = new InstalledRule(1, { kind: 'newOrder', times: 2, action: faults.badNonce() }, () => {});
    expect([1, 2, 3].map(() => rule.take(request(), never))).toEqual([true, true, false]);
    expect(rule.fired).toBe(2);
    expect(rule.remaining).toBe(0);
  });

  it('matches method, kind and path together', () => {
    const rule = new InstalledRule(
      1,
      { method: 'post', kind: ['order', 'newOrder'], path: '/order', action: faults.reset() },
      () => {},
    );
    expect(rule.take(request(), never)).toBe(true);
    expect(rule.take(request({ method: 'HEAD' }), never)).toBe(false);
    expect(rule.take(request({ kind: 'authz' }), never)).toBe(false);
    expect(rule.take(request({ path: '/authz/1' }), never)).toBe(false);
  });

  it('tests a RegExp against path and query', () => {
    const rule = new InstalledRule(1, { path: /\?cursor=2$/, action: faults.delay(1) }, () => {});
    expect(rule.take(request({ path: '/orders?cursor=2' }), never)).toBe(true);
    expect(rule.take(request({ path: '/orders?cursor=1' }), never)).toBe(false);
  });

  it('applies probability with the given random source; misses do not count', () => {
    const rolls = [0.7, 0.2, 0.5, 0.49];
    const random = () => rolls.shift() ?? 1;
    const rule = new InstalledRule(1, { probability: 0.5, action: faults.reset() }, () => {});
    expect([1, 2, 3, 4].map(() => rule.take(request(), random))).toEqual([false, true, false, true]);
    expect(rule.fired).toBe(2);
  });

  it('names itself after what it matches and does', () => {
    const rule = new InstalledRule(
      3,
      { method: 'POST', kind: 'newOrder', action: faults.rateLimited({ retryAfter: 5 }) },
      () => {},
    );
    expect(rule.name).toBe('#3 POST newOrder → 429 rateLimited');
  });
});

describe('faults', () => {
  it('expands short problem types and carries Retry-After', () => {
    const action = faults.problem(409, 'alreadyReplaced', 'replaced already', { retryAfter: 3 });
    expect(action).toMatchObject({
      type: 'problem',
      status: 409,
      retryAfter: 3,
      problem: {
        type: 'urn:ietf:params:acme:error:alreadyReplaced',
        detail: 'replaced already',
        status: 409,
      },
    });
  });
});
