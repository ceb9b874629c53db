import { describe, expect, it } from 'vitest';
import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';
import { assertKnownCaProfileRules } from './ip-profile-rule.js';
import { genericProfileRules, letsEncryptProfileRules, profileRulesFor } from './profile-rules.js';

const production = 'https://acme-v02.api.letsencrypt.org/directory';
const staging = 'https://acme-staging-v02.api.letsencrypt.org/directory';
const ip = { type: 'ip' as const, value: '192.0.2.7' };
const name = { type: 'dns' as const, value: 'www.example.com' };

function refusal(input: Parameters<typeof assertKnownCaProfileRules>[0]): CertkeeperError {
  try {
    assertKnownCaProfileRules(input);
  } catch (error) {
    if (CertkeeperError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe("Let's Encrypt's IP rule, from the directory URL alone", () => {
  it("knows Let's Encrypt production and staging by their hosts, and nothing else", () => {
    expect(profileRulesFor(production)).toBe(letsEncryptProfileRules);
    expect(profileRulesFor(staging)).toBe(letsEncryptProfileRules);
    expect(profileRulesFor('https://localhost:14000/dir')).toBe(genericProfileRules);
    expect(profileRulesFor('not a url')).toBe(genericProfileRules);
  });

  it('refuses IP addresses without shortlived, naming them, the profile, the config key and the flag', () => {
    for (const profile of [undefined, 'classic', 'tlsserver']) {
      const error = refusal({
        directoryUrl: production,
        identifiers: [name, ip],
        ...(profile ? { profile } : {}),
      });
      expect(error.code).toBe(ErrorCodes.PROFILE_VIOLATION);
      expect(error.message).toContain(
        `Let's Encrypt issues certificates for IP addresses only under profile "shortlived"; this order names ${profile ? `"${profile}"` : 'no profile'}, for ip:192.0.2.7. Nothing was sent.`,
      );
      expect(error.message).toContain(
        'Next: add `profile: shortlived` to this certificate in the config, or pass --profile shortlived',
      );
    }
  });

  it('lets shortlived IP orders, name-only orders and other CAs through', () => {
    expect(() =>
      assertKnownCaProfileRules({ directoryUrl: staging, identifiers: [ip], profile: 'shortlived' }),
    ).not.toThrow();
    expect(() => assertKnownCaProfileRules({ directoryUrl: production, identifiers: [name] })).not.toThrow();
    expect(() =>
      assertKnownCaProfileRules({ directoryUrl: 'https://ca.test/dir', identifiers: [ip] }),
    ).not.toThrow();
  });
});
