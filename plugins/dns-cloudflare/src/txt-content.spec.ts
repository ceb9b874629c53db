import { describe, expect, it } from 'vitest';
import { quoteContent, unquoteContent } from './txt-content.js';

describe('Cloudflare TXT content', () => {
  it('sends values quoted, escaping quotes, backslashes and non-printables (decimal, RFC 1035)', () => {
    expect(quoteContent('LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0')).toBe(
      '"LoqXcYV8q5ONbJQxbmR7SCTNo3tiAXDfowyjxAjEuX0"',
    );
    expect(quoteContent('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quoteContent('é')).toBe('"\\195\\169"');
  });

  it('splits long values into 255-octet strings', () => {
    expect(quoteContent('x'.repeat(256))).toBe(`"${'x'.repeat(255)}" "x"`);
  });

  it('reads quoted, split and legacy unquoted content back to the value', () => {
    for (const value of ['plain', 'a"b\\c', 'é and more', 'x'.repeat(700)])
      expect(unquoteContent(quoteContent(value))).toBe(value);
    expect(unquoteContent('"v=spf1 " "-all"')).toBe('v=spf1 -all');
    expect(unquoteContent('legacy unquoted')).toBe('legacy unquoted');
  });
});
