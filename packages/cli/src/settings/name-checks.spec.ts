import { describe, expect, it } from 'vitest';
import { codeOf, type NameRules, nameProblems } from './name-checks.js';

const letsEncrypt = 'https://acme-v02.api.letsencrypt.org/directory';
const rules = (overrides: Partial<NameRules> = {}): NameRules => ({
  directoryUrl: 'https://127.0.0.1:14000/dir',
  profile: undefined,
  maxNames: undefined,
  allowMixedScripts: false,
  ...overrides,
});
const names = (count: number) => Array.from({ length: count }, (_, i) => `n${i}.example.test`);

describe('nameProblems', () => {
  it('names the index of each bad name, and every problem at once', () => {
    expect(nameProblems(['ok.example.test', 'test', '0.0.0.0', 'аpple.test'], rules())).toEqual([
      { index: 1, message: expect.stringContaining('"test": "test" is a single label') },
      { index: 2, message: expect.stringContaining('"0.0.0.0": 0.0.0.0 is in 0.0.0.0/8') },
      { index: 3, message: expect.stringContaining('label "аpple" mixes the scripts Cyrillic and Latin') },
    ]);
  });

  it('accepts mixed-script labels when allowed, and reports duplicates for the list as a whole', () => {
    expect(nameProblems(['аpple.test'], rules({ allowMixedScripts: true }))).toEqual([]);
    expect(nameProblems(['a.example.test', 'A.example.test.'], rules())).toEqual([
      { message: expect.stringContaining('duplicates "a.example.test"') },
    ]);
  });

  it("applies Let's Encrypt's limits by directory URL, per profile, without any request", () => {
    expect(nameProblems(names(100), rules({ directoryUrl: letsEncrypt }))).toEqual([]);
    expect(nameProblems(names(150), rules({ directoryUrl: letsEncrypt }))).toEqual([
      {
        message:
          "150 names; Let's Encrypt allows at most 100 per certificate: split them over several certificates",
        tooMany: true,
      },
    ]);
    expect(
      nameProblems(names(26), rules({ directoryUrl: letsEncrypt, profile: 'tlsserver' }))[0]?.message,
    ).toBe(
      `26 names; Let's Encrypt allows under profile "tlsserver" at most 25 per certificate: split them over several certificates`,
    );
  });

  it('gives PROFILE_VIOLATION when only the number is wrong, INVALID_IDENTIFIER otherwise', () => {
    const tooMany = nameProblems(names(11), rules({ maxNames: 10 }));
    expect(codeOf(tooMany)).toBe('CERTKEEPER_ERR_PROFILE_VIOLATION');
    expect(codeOf([...tooMany, ...nameProblems(['test'], rules())])).toBe(
      'CERTKEEPER_ERR_INVALID_IDENTIFIER',
    );
  });

  it('knows no limit for other CAs unless ca.maxNames sets one', () => {
    expect(nameProblems(names(150), rules())).toEqual([]);
    expect(nameProblems(names(11), rules({ maxNames: 10 }))[0]?.message).toBe(
      '11 names; ca.maxNames allows at most 10 per certificate: split them over several certificates',
    );
  });
});
