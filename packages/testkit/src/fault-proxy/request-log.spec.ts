import { describe, expect, it } from 'vitest';
import { decodeJws } from './jws.js';
import { RequestLog, type RequestLogEntry } from './request-log.js';

const entry = (seq: number, kind: RequestLogEntry['kind'], nonce?: string): RequestLogEntry => ({
  seq,
  time: new Date(),
  method: 'POST',
  path: '/x',
  kind,
  status: 200,
  durationMs: 1,
  ...(nonce ? { jws: { nonce } } : {}),
});

describe('RequestLog', () => {
  it('keeps arrival order, counts by kind and finds reused nonces', () => {
    const log = new RequestLog();
    log.add(entry(2, 'newOrder', 'n2'));
    log.add(entry(1, 'newAccount', 'n1'));
    log.add(entry(3, 'newOrder', 'n2'));
    expect(log.entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(log.count('newOrder')).toBe(2);
    expect(log.count('newOrder', 'get')).toBe(0);
    expect(log.reusedNonces()).toEqual(['n2']);
    log.clear();
    expect(log.entries).toEqual([]);
  });
});

describe('decodeJws', () => {
  it('decodes the protected header and payload of a flattened JWS', () => {
    const b64 = (value: string) => Buffer.from(value).toString('base64url');
    const body = JSON.stringify({
      protected: b64(JSON.stringify({ alg: 'ES256', nonce: 'abc', url: 'https://ca.test/new-order' })),
      payload: b64(''),
      signature: 'sig',
    });
    expect(decodeJws(Buffer.from(body))).toEqual({
      protected: { alg: 'ES256', nonce: 'abc', url: 'https://ca.test/new-order' },
      payload: '',
    });
  });

  it('returns undefined for bodies that are not a JWS', () => {
    expect(decodeJws(Buffer.from('{"csr":"x"}'))).toBeUndefined();
    expect(decodeJws(Buffer.from('not json'))).toBeUndefined();
    expect(decodeJws(Buffer.alloc(0))).toBeUndefined();
  });
});
