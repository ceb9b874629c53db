import { describe, expect, it } from 'vitest';
import { InvalidIdentifierError } from './invalid-identifier-error.js';
import { assertNoMixedScriptLabels, findMixedScriptLabels, scriptsOfMixedLabel } from './mixed-scripts.js';
import { parseIdentifiers } from './parse-identifiers.js';

describe('scriptsOfMixedLabel (UTS #39 "Highly Restrictive")', () => {
  it.each([
    ['аpple', ['Cyrillic', 'Latin']], // Cyrillic а (U+0430) among Latin letters
    ['раураl', ['Cyrillic', 'Latin']],
    ['ab1-в', ['Cyrillic', 'Latin']], // digits and hyphens go with any script
    ['テストабв', ['Cyrillic', 'Katakana']],
    ['gοogle', ['Greek', 'Latin']], // Greek omicron
  ])('refuses %s, naming %j', (label, scripts) => {
    expect(scriptsOfMixedLabel(label)).toEqual(scripts);
  });

  it.each([
    'bücher', // Latin with a diacritic
    'δοκιμή', // Greek only
    'аррӏе', // Cyrillic only: a whole-script confusable, which mixed-script detection does not catch
    '日本語テスト', // Han + Katakana: Japanese
    'abc漢字', // Latin + Han
    '한국어abc', // Hangul + Latin
    '中文ㄅ', // Han + Bopomofo
    'ー', // Script_Extensions {Hiragana, Katakana}
    'example-123',
  ])('accepts %s', (label) => {
    expect(scriptsOfMixedLabel(label)).toBeUndefined();
  });
});

describe('assertNoMixedScriptLabels', () => {
  it('names each mixed label in Unicode with its scripts, whatever form the name was given in', () => {
    const identifiers = parseIdentifiers([
      'аpple.test',
      'xn--pple-43d.example.test',
      '*.gοogle.test',
      'bücher.test',
    ]);
    expect(findMixedScriptLabels(identifiers).map(({ label, scripts }) => `${label}: ${scripts}`)).toEqual([
      'аpple: Cyrillic,Latin',
      'аpple: Cyrillic,Latin',
      'gοogle: Greek,Latin',
    ]);
    let error: unknown;
    try {
      assertNoMixedScriptLabels(identifiers);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidIdentifierError);
    expect((error as Error).message).toContain(
      '"xn--pple-43d.example.test": label "аpple" mixes the scripts Cyrillic and Latin, the mark of a homograph',
    );
    expect((error as Error).message).toContain('--allow-mixed-scripts');
  });

  it('leaves single-script and IP identifiers alone', () => {
    expect(() =>
      assertNoMixedScriptLabels(parseIdentifiers(['bücher.test', 'пример.испытание', '192.0.2.1'])),
    ).not.toThrow();
  });
});
