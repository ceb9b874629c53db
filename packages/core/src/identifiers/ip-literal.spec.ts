import { isIPv4, isIPv6 } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isIpv4MappedIpv6, looksLikeIpLiteral, readIpLiteral } from './ip-literal.js';

describe('readIpLiteral', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1', 4],
    ['0.0.0.0', '0.0.0.0', 4],
    ['2001:0DB8:0000:0000:0000:0000:0000:0001', '2001:db8::1', 6],
    ['[2001:db8::1]', '2001:db8::1', 6],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1', 6], // RFC 5952 §4.2.2: one zero group is not compressed
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1', 6], // §4.2.3: the longest run is compressed
    ['::', '::', 6],
  ])('reads %s as %s', (input, value, version) => {
    expect(readIpLiteral(input)).toEqual({ ok: true, value, version });
  });

  it.each(['256.1.1.1', '1.2.3', '01.2.3.4', 'example.test', '[192.0.2.1', '2001:db8:::1', ''])(
    'refuses %j',
    (input) => {
      expect(readIpLiteral(input)).toEqual({ ok: false, reason: 'not an IPv4 or IPv6 address' });
    },
  );

  it('refuses zone ids with a reason saying why', () => {
    const result = readIpLiteral('fe80::1%eth0');
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.reason).toMatch(/zone ids .* local to this host/);
  });
});

describe('looksLikeIpLiteral / isIpv4MappedIpv6', () => {
  it('recognises literals, bracketed or with a zone, and nothing else', () => {
    expect(['1.2.3.4', '::1', '[::1]', 'fe80::1%eth0'].map(looksLikeIpLiteral)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['a.test', '1.2.3', '[a.test]'].map(looksLikeIpLiteral)).toEqual([false, false, false]);
  });

  it('answers as node:net does for any text (the colon test before isIPv6 changes nothing)', () => {
    const unit = fc.constantFrom(...'0123456789abcdefABCDEF:.[]%xz');
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 45 }), (text) => {
        const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
        expect(looksLikeIpLiteral(text)).toBe(isIPv4(bare) || isIPv6(bare));
      }),
      { numRuns: 5000 },
    );
  });

  it('spots IPv4-mapped IPv6 in canonical form only', () => {
    const mapped = readIpLiteral('::ffff:192.0.2.1');
    expect(mapped.ok && mapped.value).toBe('::ffff:c000:201');
    expect(isIpv4MappedIpv6('::ffff:c000:201')).toBe(true);
    expect(isIpv4MappedIpv6('2001:db8::ffff:c000:201')).toBe(false);
    expect(isIpv4MappedIpv6('::c000:201')).toBe(false);
  });
});
