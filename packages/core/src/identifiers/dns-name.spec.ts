import { describe, expect, it } from 'vitest';
import { readDnsName } from './dns-name.js';

describe('readDnsName', () => {
  it('returns the wire form and the wildcard flag', () => {
    expect(readDnsName('*.Bücher.test.')).toEqual({
      ok: true,
      value: '*.xn--bcher-kva.test',
      wildcard: true,
    });
    expect(readDnsName('a-b.c1.test')).toEqual({ ok: true, value: 'a-b.c1.test', wildcard: false });
  });

  it('maps unicode full stops and full-width letters as UTS #46 does', () => {
    expect(readDnsName('ＡＢＣ．test')).toEqual({ ok: true, value: 'abc.test', wildcard: false });
  });

  it('reports every problem of one name, not only the first', () => {
    const result = readDnsName(`-a_.${'b'.repeat(64)}..x.*.test`);
    expect(result.ok).toBe(false);
    const reasons = result.ok ? [] : result.reasons;
    expect(reasons).toHaveLength(5);
    expect(reasons.join('\n')).toMatch(/wildcard must be the entire first label/);
    expect(reasons.join('\n')).toMatch(/empty label/);
    expect(reasons.join('\n')).toMatch(/label "-a_" has characters other than/);
    expect(reasons.join('\n')).toMatch(/label "-a_" starts or ends with a hyphen/);
    expect(reasons.join('\n')).toMatch(/is 64 octets; the limit is 63/);
  });

  it('counts length in A-label octets, after punycode conversion', () => {
    // 30 "ü" become a 38-octet A-label; 7 of them make a name over 253 octets though it is 216 characters.
    const label = 'ü'.repeat(30);
    const name = Array.from({ length: 7 }, () => label).join('.');
    expect(name.length).toBeLessThan(253);
    const result = readDnsName(name);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.reasons.join()).toMatch(/octets; the limit is 253/);
  });
});
