import { describe, expect, it } from 'vitest';
import { quoteTxt, unquoteTxt } from './txt-quoting.js';

describe('Route 53 TXT quoting', () => {
  it('quotes a dns-01 digest as one string', () => {
    expect(quoteTxt('LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0')).toBe(
      '"LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0"',
    );
  });

  it('escapes quotes and backslashes, and octal-escapes octets outside printable ASCII', () => {
    expect(quoteTxt('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quoteTxt('tab\there é')).toBe('"tab\\011here \\303\\251"');
  });

  it('splits values over 255 octets into several strings, counting octets not characters', () => {
    const quoted = quoteTxt('x'.repeat(300));
    expect(quoted).toBe(`"${'x'.repeat(255)}" "${'x'.repeat(45)}"`);
    const wide = quoteTxt('é'.repeat(200)); // 400 octets
    expect(wide.split('" "')).toHaveLength(2);
    expect(unquoteTxt(wide)).toBe('é'.repeat(200));
  });

  it('decodes what it encodes, and what Route 53 returns', () => {
    for (const value of ['plain', 'a"b\\c', 'tab\there é', 'x'.repeat(600), '']) {
      expect(unquoteTxt(quoteTxt(value))).toBe(value);
    }
    expect(unquoteTxt('"v=spf1 " "include:_spf.example.test ~all"')).toBe(
      'v=spf1 include:_spf.example.test ~all',
    );
    expect(unquoteTxt('"quote\\"d\\040x"')).toBe('quote"d x');
    expect(unquoteTxt('unquoted-legacy')).toBe('unquoted-legacy');
  });
});
