import { describe, expect, it } from 'vitest';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';
import type { Identifier } from './identifier.js';
import { InvalidIdentifierError } from './invalid-identifier-error.js';
import { parseIdentifiers } from './parse-identifiers.js';

/** Runs parseIdentifiers on inputs expected to fail and returns the error for inspection. */
function refusal(input: ReadonlyArray<string | Identifier>): InvalidIdentifierError {
  try {
    parseIdentifiers(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidIdentifierError);
    expect(CertkeeperError.isInstance(error)).toBe(true);
    expect((error as CertkeeperError).code).toBe(ErrorCodes.INVALID_IDENTIFIER);
    return error as InvalidIdentifierError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be refused`);
}

describe('parseIdentifiers: accepted inputs', () => {
  it('parses an apex and its wildcard into two dns identifiers', () => {
    expect(parseIdentifiers(['example.test', '*.example.test'])).toEqual([
      { type: 'dns', value: 'example.test', display: 'example.test', wildcard: false },
      { type: 'dns', value: '*.example.test', display: '*.example.test', wildcard: true },
    ]);
  });

  it('converts a unicode name to punycode and keeps what the user typed in display', () => {
    expect(parseIdentifiers(['bücher.test'])).toEqual([
      { type: 'dns', value: 'xn--bcher-kva.test', display: 'bücher.test', wildcard: false },
    ]);
    expect(parseIdentifiers(['*.BÜCHER.test'])[0]).toMatchObject({
      value: '*.xn--bcher-kva.test',
      wildcard: true,
    });
  });

  it('lower-cases and removes one trailing dot', () => {
    expect(parseIdentifiers(['WWW.Example.TEST.'])[0]).toMatchObject({ value: 'www.example.test' });
  });

  it('keeps loopback, private, link-local and documentation addresses (private CAs, tests)', () => {
    const values = [
      '127.0.0.1',
      '::1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      'fd00::1',
      '169.254.1.1',
      '2001:db8::1',
    ];
    expect(parseIdentifiers(values).map((id) => id.type)).toEqual(values.map(() => 'ip'));
  });

  it('maps IDNA2008-style: ß and ς are kept (nontransitional), not folded to ss and σ', () => {
    expect(parseIdentifiers(['faß.test', 'βόλος.test']).map((id) => id.value)).toEqual([
      'xn--fa-hia.test',
      'xn--nxasmm1c.test',
    ]);
  });

  it('accepts a valid A-label as given', () => {
    expect(parseIdentifiers(['XN--BCHER-KVA.test'])[0]?.value).toBe('xn--bcher-kva.test');
  });

  it('turns IP literal strings into ip identifiers in canonical form', () => {
    expect(parseIdentifiers(['192.0.2.1', '[2001:DB8:0:0:0:0:0:1]', '2001:db8:0:0:1:0:0:1', '::1'])).toEqual([
      { type: 'ip', value: '192.0.2.1', display: '192.0.2.1', wildcard: false },
      { type: 'ip', value: '2001:db8::1', display: '[2001:DB8:0:0:0:0:0:1]', wildcard: false },
      // RFC 5952 §4.2.3: the first of two equally long zero runs is the one compressed.
      { type: 'ip', value: '2001:db8::1:0:0:1', display: '2001:db8:0:0:1:0:0:1', wildcard: false },
      { type: 'ip', value: '::1', display: '::1', wildcard: false },
    ]);
  });

  it('accepts { type, value } objects of both types', () => {
    const parsed = parseIdentifiers([
      { type: 'dns', value: 'A.test' },
      { type: 'ip', value: '[::1]' },
    ]);
    expect(parsed.map((id) => `${id.type}:${id.value}`)).toEqual(['dns:a.test', 'ip:::1']);
  });

  it('accepts labels of exactly 63 octets and names of exactly 253 octets', () => {
    const label63 = 'a'.repeat(63);
    const name253 = `${label63}.${label63}.${label63}.${'b'.repeat(61)}`;
    expect(name253.length).toBe(253);
    expect(parseIdentifiers([`${label63}.test`, name253])).toHaveLength(2);
  });

  it('keeps the input order', () => {
    const values = parseIdentifiers(['c.test', 'a.test', 'b.test']).map((id) => id.value);
    expect(values).toEqual(['c.test', 'a.test', 'b.test']);
  });
});

describe('parseIdentifiers: refusals', () => {
  it.each([
    ['', 'empty'],
    ['a..b.test', 'empty label'],
    ['-a.test', 'hyphen'],
    ['a-.test', 'hyphen'],
    ['a_b.test', 'characters other than letters, digits and hyphens'],
    ['a b.test', 'whitespace'],
    [' a.test', 'whitespace'],
    ['a!.test', 'characters other than'],
    [`${'a'.repeat(64)}.test`, '64 octets; the limit is 63'],
    [`${'a.'.repeat(126)}test`, '256 octets; the limit is 253'],
    ['a.*.test', 'wildcard must be the entire first label'],
    ['*a.test', 'wildcard must be the entire first label'],
    ['*.*.test', 'wildcard must be the entire first label'],
    ['*', 'at least one label besides a wildcard'],
    ['*.', 'at least one label besides a wildcard'],
    ['.', 'at least one label besides a wildcard'],
    ['xn--zz.test', 'not a valid internationalised domain name'],
    ['xn--.test', 'label "xn--" is not a valid internationalised domain name label'],
    ['1.2.3', 'last label is all digits'],
    ['01.2.3.4', 'last label is all digits'],
    ['fe80::1%eth0', 'zone id'],
    ['[fe80::1%25eth0]', 'zone id'],
    ['::ffff:192.0.2.1', 'IPv4-mapped'],
    ['test', 'is a single label, not a fully qualified domain name'],
    ['localhost.', 'is a single label'],
    ['*.test', 'would cover a whole top-level domain'],
    ['ab--cd.test', 'reserved for encoded labels'],
    ['a\u200db.test', 'not a valid internationalised domain name'], // ZWJ outside its RFC 5892 context
    ['\u05d0a.test', 'not a valid internationalised domain name'], // Hebrew and Latin in one label (Bidi)
    ['\u05d0.1a.test', 'Bidi rule'], // an RTL label makes the whole name a Bidi domain name (RFC 5893 §2)
    ['0.0.0.0', '"this host on this network"'],
    ['0.1.2.3', '0.0.0.0/8'],
    ['::', 'unspecified address'],
    ['[::]', 'unspecified address'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'limited broadcast'],
    ['240.0.0.1', 'reserved for future use'],
    ['ff02::1', 'multicast'],
    ['::192.0.2.1', 'IPv4-compatible'],
    ['*.1.2.3.4', 'an IP address cannot be a wildcard'],
    ['*.[2001:db8::1]', 'an IP address cannot be a wildcard'],
    ['*.2001:db8::1', 'an IP address cannot be a wildcard'],
  ])('refuses %j (%s)', (input, reason) => {
    const error = refusal([input]);
    expect(error.problems).toHaveLength(1);
    // Inputs are quoted in messages (long ones shortened, see below).
    expect(error.problems[0]?.input.slice(0, 40)).toBe(JSON.stringify(input).slice(0, 40));
    expect(error.problems[0]?.reason).toContain(reason);
    expect(error.message).toContain(reason);
  });

  it('refuses an IP literal given as a dns name, telling to use type ip', () => {
    const error = refusal([
      { type: 'dns', value: '192.0.2.1' },
      { type: 'dns', value: '[::1]' },
    ]);
    expect(error.problems.map((p) => p.reason)).toEqual([
      'IP literal given as a dns name — use type ip',
      'IP literal given as a dns name — use type ip',
    ]);
  });

  it('refuses a wildcard IP given as a { type, value } of either type', () => {
    const error = refusal([
      { type: 'ip', value: '*.192.0.2.1' },
      { type: 'dns', value: '*.192.0.2.1' },
    ]);
    expect(error.problems.map((p) => p.reason)).toEqual([
      expect.stringContaining('an IP address cannot be a wildcard'),
      expect.stringContaining('an IP address cannot be a wildcard'),
    ]);
  });

  it('refuses an ip identifier whose value is not an address', () => {
    expect(refusal([{ type: 'ip', value: 'example.test' }]).problems[0]?.reason).toContain(
      'not an IPv4 or IPv6',
    );
  });

  it('refuses unknown identifier types and values that are not strings', () => {
    const bad = [
      { type: 'email', value: 'a@b.test' },
      { type: 'dns', value: 42 },
      null,
    ] as unknown as Identifier[];
    const reasons = refusal(bad).problems.map((p) => p.reason);
    expect(reasons).toEqual([
      '"type" must be "dns" or "ip"',
      '"value" must be a string',
      'expected a name, an IP address or a { type, value } object',
    ]);
  });

  it('refuses an empty list', () => {
    expect(refusal([]).problems[0]?.reason).toBe('an order needs at least one identifier');
  });

  it('refuses duplicates after normalisation, naming both inputs', () => {
    const error = refusal([
      'Example.test',
      'example.test.',
      'bücher.test',
      'xn--bcher-kva.test',
      '::1',
      '[::1]',
    ]);
    expect(error.problems).toEqual([
      { input: '"example.test."', reason: 'duplicates "Example.test": both normalise to example.test' },
      {
        input: '"xn--bcher-kva.test"',
        reason: 'duplicates "bücher.test": both normalise to xn--bcher-kva.test',
      },
      { input: '"[::1]"', reason: 'duplicates "::1": both normalise to ip:::1' },
    ]);
  });

  it('does not treat an apex and its wildcard, or a dns name and an IP, as duplicates', () => {
    expect(
      parseIdentifiers(['a.test', '*.a.test', '192.0.2.1', { type: 'dns', value: 'b.test' }]),
    ).toHaveLength(4);
  });

  it('collects every problem of every input into one error', () => {
    const error = refusal(['good.test', 'a..b', '-x-.test', 'good.test']);
    expect(error.problems.map((p) => p.input)).toEqual(['"a..b"', '"-x-.test"', '"good.test"']);
    // Both hyphen problems of "-x-" are one line, joined.
    expect(error.problems[1]?.reason).toBe('label "-x-" starts or ends with a hyphen');
    expect(error.message).toMatch(
      /^3 identifiers are not valid; nothing was sent to the CA:\n {2}- "a\.\.b": /,
    );
    expect(error.message).toContain('Next: correct or remove the listed identifiers');
  });

  it('shortens very long inputs in messages', () => {
    const error = refusal([`${'a'.repeat(300)}.test`]);
    expect(error.problems[0]?.input.length).toBeLessThanOrEqual(82);
    expect(error.problems[0]?.input.endsWith('..."')).toBe(true);
  });
});
