import { describe, expect, it } from 'vitest';
import { quoteTxt, unquoteTxt } from './txt-presentation.js';

describe('TXT presentation format', () => {
  it('quotes values, escaping quotes, backslashes and non-printables in decimal (RFC 1035 §5.1)', () => {
    expect(quoteTxt('LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0')).toBe(
      '"LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0"',
    );
    expect(quoteTxt('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quoteTxt('é\n')).toBe('"\\195\\169\\010"');
    expect(quoteTxt('x'.repeat(256))).toBe(`"${'x'.repeat(255)}" "x"`);
  });

  it('reads quoted, split and unquoted content back to the value a CA sees', () => {
    for (const value of ['plain', 'a"b\\c', 'é and more', ' lead and trail ', 'x'.repeat(700)])
      expect(unquoteTxt(quoteTxt(value))).toBe(value);
    expect(unquoteTxt('"v=spf1 " "-all"')).toBe('v=spf1 -all');
    expect(unquoteTxt('legacy unquoted')).toBe('legacy unquoted');
  });
});
