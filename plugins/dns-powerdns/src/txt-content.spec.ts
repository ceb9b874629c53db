import { describe, expect, it } from 'vitest';
import { quoteTxt, unquoteTxt } from './txt-content.js';

describe('TXT presentation format', () => {
  it('quotes and escapes the way PowerDNS expects, and reads it back', () => {
    expect(quoteTxt('pW9ZKG0xz_PCriK-nCMOjADy9eJcgGWIzkkj2fN4uZM')).toBe(
      '"pW9ZKG0xz_PCriK-nCMOjADy9eJcgGWIzkkj2fN4uZM"',
    );
    expect(quoteTxt('a "b" \\c')).toBe('"a \\"b\\" \\\\c"');
    expect(quoteTxt('é\n')).toBe('"\\195\\169\\010"');
    for (const value of ['plain', 'a "b" \\c', 'é\n', ' lead and trail ']) {
      expect(unquoteTxt(quoteTxt(value))).toBe(value);
    }
  });

  it('joins several character-strings of one record, as a CA does', () => {
    expect(unquoteTxt('"abc" "def"')).toBe('abcdef');
    expect(unquoteTxt('bare')).toBe('bare');
  });
});
