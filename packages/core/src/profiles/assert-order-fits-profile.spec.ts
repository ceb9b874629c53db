import { describe, expect, it } from 'vitest';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';
import type { Identifier } from '../identifiers/identifier.js';
import { assertOrderFitsProfile, type OrderProfileCheck } from './assert-order-fits-profile.js';
import {
  genericProfileRules,
  letsEncryptProfileRules,
  maxIdentifiersOf,
  type ProfileRuleSet,
  profileRulesFor,
} from './profile-rules.js';

const letsEncryptDirectory = {
  classic: 'The same profile you have been getting all along',
  tlsserver: 'https://letsencrypt.org/docs/profiles#tlsserver',
  shortlived: 'https://letsencrypt.org/docs/profiles#shortlived',
};
const names = (count: number): Identifier[] =>
  Array.from({ length: count }, (_, i) => ({ type: 'dns', value: `n${i}.example.test` }));
const ip: Identifier = { type: 'ip', value: '192.0.2.1' };

function failure(check: OrderProfileCheck): CertkeeperError {
  try {
    assertOrderFitsProfile(check);
  } catch (error) {
    if (CertkeeperError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected the order to be refused');
}

describe('assertOrderFitsProfile: advertised profiles', () => {
  it('refuses a profile the directory does not advertise, naming the ones it does', () => {
    const error = failure({
      identifiers: names(1),
      profile: 'shortlive',
      directoryProfiles: letsEncryptDirectory,
    });
    expect(error.code).toBe(ErrorCodes.UNSUPPORTED_BY_CA);
    expect(error.message).toContain(
      '"shortlive" (it offers classic, tlsserver, shortlived); nothing was sent',
    );
  });

  it('refuses any profile when the directory advertises none', () => {
    for (const directoryProfiles of [undefined, {}]) {
      const error = failure({ identifiers: names(1), profile: 'classic', directoryProfiles });
      expect(error.code).toBe(ErrorCodes.UNSUPPORTED_BY_CA);
      expect(error.message).toContain('it advertises no profiles');
      expect(error.hint).toBe('remove the profile option.');
    }
  });

  it('accepts an advertised profile unknown to the rule set, whatever the order holds', () => {
    const directoryProfiles = { 'acme-corp-internal': 'internal use' };
    expect(() =>
      assertOrderFitsProfile({
        identifiers: [...names(300), ip],
        profile: 'acme-corp-internal',
        directoryProfiles,
      }),
    ).not.toThrow();
  });
});

describe("assertOrderFitsProfile: Let's Encrypt limits", () => {
  it.each([
    ['classic', 100],
    ['tlsserver', 25],
    ['shortlived', 25],
  ])('allows exactly the %s limit of %i names and refuses one more', (profile, limit) => {
    const check = { profile, directoryProfiles: letsEncryptDirectory };
    expect(() => assertOrderFitsProfile({ ...check, identifiers: names(limit) })).not.toThrow();
    const error = failure({ ...check, identifiers: names(limit + 1) });
    expect(error.code).toBe(ErrorCodes.PROFILE_VIOLATION);
    expect(error.message).toContain(
      `profile "${profile}" allows at most ${limit} identifiers; this order has ${limit + 1}`,
    );
  });

  it.each(['classic', 'tlsserver'])(
    'refuses IP identifiers under %s, naming them and the IP profile',
    (profile) => {
      const error = failure({
        identifiers: [...names(1), ip],
        profile,
        directoryProfiles: letsEncryptDirectory,
      });
      expect(error.code).toBe(ErrorCodes.PROFILE_VIOLATION);
      expect(error.message).toContain(
        `profile "${profile}" issues only for dns identifiers, not ip:192.0.2.1`,
      );
      expect(error.message).toContain(`Let's Encrypt issues IP certificates only under profile "shortlived"`);
    },
  );

  it('accepts DNS and IP identifiers together under shortlived', () => {
    const check = {
      identifiers: [...names(2), ip],
      profile: 'shortlived',
      directoryProfiles: letsEncryptDirectory,
    };
    expect(() => assertOrderFitsProfile(check)).not.toThrow();
  });

  it('requires shortlived for IP identifiers when no profile is given and the directory offers it', () => {
    const error = failure({ identifiers: [ip], directoryProfiles: letsEncryptDirectory });
    expect(error.code).toBe(ErrorCodes.PROFILE_VIOLATION);
    expect(error.message).toMatch(
      /does not fit the CA's default profile; nothing was sent:\n {2}- Let's Encrypt/,
    );
  });

  it('does not apply the IP rule to a directory without the shortlived profile (Pebble, other CAs)', () => {
    expect(() => assertOrderFitsProfile({ identifiers: [ip] })).not.toThrow();
    expect(() =>
      assertOrderFitsProfile({ identifiers: [ip], directoryProfiles: { classic: 'x' } }),
    ).not.toThrow();
  });

  it('lists every broken limit in one error, shortening long identifier lists', () => {
    const ips: Identifier[] = Array.from({ length: 7 }, (_, i) => ({ type: 'ip', value: `192.0.2.${i}` }));
    const error = failure({
      identifiers: [...names(20), ...ips],
      profile: 'tlsserver',
      directoryProfiles: letsEncryptDirectory,
    });
    const lines = error.message.split('\n').filter((line) => line.startsWith('  - '));
    expect(lines).toHaveLength(3);
    expect(error.message).toContain('ip:192.0.2.4 and 2 more');
  });
});

describe('assertOrderFitsProfile: without a profile, and other rule sets', () => {
  it('applies the general limit of 100 identifiers', () => {
    expect(() => assertOrderFitsProfile({ identifiers: names(100) })).not.toThrow();
    const error = failure({ identifiers: names(101) });
    expect(error.code).toBe(ErrorCodes.PROFILE_VIOLATION);
    expect(error.message).toContain(
      'an order without a profile allows at most 100 identifiers; this order has 101',
    );
  });

  it('takes the rules as data: a CA with its own profile names and IP rule', () => {
    const rules: ProfileRuleSet = {
      name: 'Example CA',
      profiles: {
        server: { maxIdentifiers: 3, identifierTypes: ['dns'] },
        ips: { maxIdentifiers: 1, identifierTypes: ['ip'] },
      },
      maxIdentifiersWithoutProfile: 10,
      ipIdentifiersRequireProfile: 'ips',
    };
    const directoryProfiles = { server: '', ips: '' };
    expect(() =>
      assertOrderFitsProfile({ identifiers: names(3), profile: 'server', directoryProfiles, rules }),
    ).not.toThrow();
    expect(() =>
      assertOrderFitsProfile({ identifiers: [ip], profile: 'ips', directoryProfiles, rules }),
    ).not.toThrow();
    expect(failure({ identifiers: names(11), directoryProfiles, rules }).message).toContain(
      'at most 10 identifiers',
    );
    expect(failure({ identifiers: [ip], directoryProfiles, rules }).message).toContain(
      'Example CA issues IP certificates only under profile "ips"',
    );
    // Rules do not leak between sets: classic means nothing to this CA.
    expect(failure({ identifiers: names(1), profile: 'classic', directoryProfiles, rules }).code).toBe(
      ErrorCodes.UNSUPPORTED_BY_CA,
    );
  });

  it("the generic rules know no profiles: an advertised 'classic' is not limited by Let's Encrypt's table", () => {
    const check = {
      identifiers: [...names(150), ip],
      profile: 'classic',
      directoryProfiles: letsEncryptDirectory,
    };
    expect(() => assertOrderFitsProfile({ ...check, rules: genericProfileRules })).not.toThrow();
    expect(() => assertOrderFitsProfile({ ...check, rules: letsEncryptProfileRules })).toThrow(
      expect.objectContaining({ code: ErrorCodes.PROFILE_VIOLATION }),
    );
  });
});

describe('profileRulesFor: the rules known from the directory URL alone', () => {
  it("picks Let's Encrypt's table for production and staging, and no local limits elsewhere", () => {
    expect(profileRulesFor('https://acme-v02.api.letsencrypt.org/directory')).toBe(letsEncryptProfileRules);
    expect(profileRulesFor('https://acme-staging-v02.api.letsencrypt.org/directory')).toBe(
      letsEncryptProfileRules,
    );
    for (const url of ['https://127.0.0.1:14000/dir', 'https://ca.example.test/acme', 'not a url'])
      expect(profileRulesFor(url)).toBe(genericProfileRules);
  });

  it('gives the name limit per profile, undefined where none is known', () => {
    expect(maxIdentifiersOf(letsEncryptProfileRules, undefined)).toBe(100);
    expect(maxIdentifiersOf(letsEncryptProfileRules, 'tlsserver')).toBe(25);
    expect(maxIdentifiersOf(letsEncryptProfileRules, 'shortlived')).toBe(25);
    expect(maxIdentifiersOf(letsEncryptProfileRules, 'acme-corp')).toBeUndefined();
    expect(maxIdentifiersOf(genericProfileRules, undefined)).toBeUndefined();
    expect(() =>
      assertOrderFitsProfile({ identifiers: names(500), rules: genericProfileRules }),
    ).not.toThrow();
  });
});
