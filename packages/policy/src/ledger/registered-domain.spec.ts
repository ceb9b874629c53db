import { describe, expect, it } from 'vitest';
import { registeredDomainOf, registeredDomainsOf } from './registered-domain.js';

describe('registeredDomainOf', () => {
  it('uses the Public Suffix List', () => {
    expect(registeredDomainOf({ type: 'dns', value: 'a.b.example.co.uk' })).toBe('example.co.uk');
    expect(registeredDomainOf({ type: 'dns', value: '*.shop.example.com' })).toBe('example.com');
  });
  it("reads the list's private section, as Let's Encrypt does: each user of a shared suffix is its own domain", () => {
    expect(registeredDomainOf({ type: 'dns', value: 'foo.duckdns.org' })).toBe('foo.duckdns.org');
    expect(registeredDomainOf({ type: 'dns', value: 'www.foo.duckdns.org' })).toBe('foo.duckdns.org');
    expect(registeredDomainOf({ type: 'dns', value: '*.octocat.github.io' })).toBe('octocat.github.io');
    expect(
      registeredDomainsOf([
        { type: 'dns', value: 'foo.duckdns.org' },
        { type: 'dns', value: 'bar.duckdns.org' },
      ]),
    ).toEqual(['bar.duckdns.org', 'foo.duckdns.org']);
  });
  it('counts test names under their last two labels', () => {
    expect(registeredDomainOf({ type: 'dns', value: 'www.demo.example.test' })).toBe('example.test');
    expect(registeredDomainOf({ type: 'dns', value: '*.example.test' })).toBe('example.test');
    expect(registeredDomainOf({ type: 'dns', value: 'example.test' })).toBe('example.test');
  });
  it('counts an IPv4 address exactly and IPv6 by /64', () => {
    expect(registeredDomainOf({ type: 'ip', value: '192.0.2.7' })).toBe('192.0.2.7');
    expect(registeredDomainOf({ type: 'ip', value: '2001:db8:1:2::7' })).toBe('2001:0db8:0001:0002::/64');
    expect(registeredDomainOf({ type: 'ip', value: '2001:db8:1:2:ffff::1' })).toBe(
      '2001:0db8:0001:0002::/64',
    );
  });
  it('dedupes across a set', () => {
    expect(
      registeredDomainsOf([
        { type: 'dns', value: 'a.example.com' },
        { type: 'dns', value: 'b.example.com' },
      ]),
    ).toEqual(['example.com']);
  });
});
