// mapLabels lower-cases ASCII labels without tr46 (issue 13: tr46 is loaded only for names that need it). This
// checks that shortcut against tr46 itself: for every ASCII name, the same labels as the UTS #46 mapping gives.
import fc from 'fast-check';
import { toUnicode } from 'tr46';
import { describe, expect, it } from 'vitest';
import { labelToAscii, mapLabels } from './idna.js';

/** What mapLabels did before the shortcut: tr46 for every label except an ASCII `xn--` one, kept lower-cased. */
function mappedByTr46(name: string): string[] {
  return name
    .split(/[.\u3002\uFF0E\uFF61]/)
    .map((label) =>
      /^xn--/i.test(label) && /^\p{ASCII}*$/u.test(label)
        ? label.toLowerCase()
        : toUnicode(label, { transitionalProcessing: false }).domain,
    );
}

/** Every ASCII character, with the letters, digits, hyphen and dot of host names weighted up. */
const asciiChar = fc.oneof(
  fc.integer({ min: 0, max: 0x7f }).map((code) => String.fromCharCode(code)),
  fc.constantFrom(...'abcXYZ019-.'),
);

describe('mapLabels', () => {
  it('maps every single ASCII character as tr46 does', () => {
    for (let code = 0; code <= 0x7f; code++) {
      const name = `a${String.fromCharCode(code)}B.test`;
      expect(mapLabels(name)).toEqual(mappedByTr46(name));
    }
  });

  it('maps any ASCII name as tr46 does', () => {
    fc.assert(
      fc.property(fc.string({ unit: asciiChar, maxLength: 40 }), (name) => {
        expect(mapLabels(name)).toEqual(mappedByTr46(name));
      }),
      { numRuns: 5000 },
    );
  });

  it('still maps non-ASCII labels with tr46: case, width, full stops', () => {
    expect(mapLabels('ＡＢＣ．Bücher.TEST')).toEqual(['abc', 'bücher', 'test']);
    expect(mapLabels('XN--BCHER-KVA.test')).toEqual(['xn--bcher-kva', 'test']);
    expect(labelToAscii('bücher')).toBe('xn--bcher-kva');
  });
});
