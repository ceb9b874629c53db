import { describe, expect, it } from 'vitest';
import { challengeServerName } from './server-name.js';

describe('challengeServerName', () => {
  it('is the DNS name in lower case', () => {
    expect(challengeServerName({ type: 'dns', value: 'WWW.Example.test' })).toBe('www.example.test');
  });

  it('is the in-addr.arpa name of an IPv4 address (RFC 8738 §6)', () => {
    expect(challengeServerName({ type: 'ip', value: '192.0.2.7' })).toBe('7.2.0.192.in-addr.arpa');
  });

  it('is the ip6.arpa nibble name of an IPv6 address (RFC 8738 §6, RFC 3596 §2.5)', () => {
    expect(challengeServerName({ type: 'ip', value: '2001:db8::567:89ab' })).toBe(
      'b.a.9.8.7.6.5.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa',
    );
    expect(challengeServerName({ type: 'ip', value: '::ffff:192.0.2.1' })).toBe(
      `1.0.2.0.0.0.0.c.f.f.f.f.${'0.'.repeat(20)}ip6.arpa`,
    );
  });
});
