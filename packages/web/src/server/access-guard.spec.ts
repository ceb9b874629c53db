import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { AccessGuard, isLoopbackHost } from './access-guard.js';

function request(headers: Record<string, string>, remoteAddress = '127.0.0.1'): IncomingMessage {
  return { headers, socket: { remoteAddress } } as unknown as IncomingMessage;
}

const token = 'a-token-of-sufficient-length-1234';

describe('AccessGuard', () => {
  it('without auth, lets in loopback Host names only (a rebound DNS name is refused)', () => {
    const guard = new AccessGuard({ loopback: true });
    for (const host of ['127.0.0.1:9464', 'localhost:9464', '[::1]:9464', 'status.localhost'])
      expect(guard.check(request({ host })).allowed, host).toBe(true);
    for (const host of ['evil.test:9464', '127.0.0.1.evil.test', ''])
      expect(guard.check(request({ host })), host).toMatchObject({ allowed: false, status: 403 });
  });

  it('without auth and bound off loopback, lets no one in', () => {
    expect(new AccessGuard({ loopback: false }).check(request({ host: 'localhost' }))).toMatchObject({
      allowed: false,
      status: 403,
    });
  });

  it('with a token, needs exactly that bearer token, on loopback too', () => {
    const guard = new AccessGuard({ loopback: true, token });
    expect(guard.check(request({ host: 'localhost', authorization: `Bearer ${token}` })).allowed).toBe(true);
    expect(guard.check(request({ host: 'x.test', authorization: `bearer  ${token}` })).allowed).toBe(true);
    for (const authorization of [
      undefined,
      `Bearer ${token}x`,
      `Bearer ${token.slice(1)}`,
      'Bearer a',
      `Basic ${token}`,
    ])
      expect(
        guard.check(request({ host: 'localhost', ...(authorization ? { authorization } : {}) })),
        authorization,
      ).toMatchObject({ allowed: false, status: 401 });
  });

  it("trusts a proxy's user header only from the proxy's addresses", () => {
    const guard = new AccessGuard({
      loopback: false,
      proxy: { userHeader: 'X-Forwarded-User', trustedProxies: ['10.0.0.5', 'fd00::/8'] },
    });
    expect(guard.check(request({ 'x-forwarded-user': 'ada' }, '10.0.0.5'))).toEqual({
      allowed: true,
      user: 'ada',
    });
    expect(guard.check(request({ 'x-forwarded-user': 'ada' }, '::ffff:10.0.0.5')).allowed).toBe(true);
    expect(guard.check(request({ 'x-forwarded-user': 'ada' }, 'fd00::7')).allowed).toBe(true);
    expect(guard.check(request({ 'x-forwarded-user': 'ada' }, '10.0.0.6'))).toMatchObject({ allowed: false });
    expect(guard.check(request({ 'x-forwarded-user': ' ' }, '10.0.0.5'))).toMatchObject({ allowed: false });
    expect(guard.check(request({}, '10.0.0.5'))).toMatchObject({ allowed: false, status: 401 });
  });

  it('recognises loopback Host values', () => {
    expect(isLoopbackHost('127.1.2.3')).toBe(true);
    expect(isLoopbackHost('[::1]')).toBe(true);
    expect(isLoopbackHost('localhost.')).toBe(false);
    expect(isLoopbackHost(undefined)).toBe(false);
  });
});
