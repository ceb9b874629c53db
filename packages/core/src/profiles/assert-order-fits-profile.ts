import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';
import type { Identifier } from '../identifiers/identifier.js';
import { formatIdentifier } from '../identifiers/identifier.js';
import { defaultProfileRules, maxIdentifiersOf, type ProfileRuleSet } from './profile-rules.js';

/** Input of {@link assertOrderFitsProfile}. */
export interface OrderProfileCheck {
  readonly identifiers: readonly Identifier[];
  /** The profile the newOrder will request; undefined for the CA's default. */
  readonly profile?: string | undefined;
  /** The directory's `meta.profiles` (name → description); undefined when the CA advertises none. */
  readonly directoryProfiles?: Readonly<Record<string, string>> | undefined;
  /** The CA's rule set; {@link defaultProfileRules} when omitted. */
  readonly rules?: ProfileRuleSet | undefined;
}

/**
 * Refuses, before anything is sent, an order the CA would refuse for its profile: sending it would spend a
 * new-order rate-limit token for a certain failure.
 *
 * Checks, in order: a requested profile MUST be advertised by the directory; a known profile's identifier count
 * and types; without a profile, the rule set's general identifier limit; and, where the rule set says so and
 * the directory advertises it, that IP identifiers request the IP profile (Let's Encrypt: `shortlived`).
 *
 * @throws {CertkeeperError} `CERTKEEPER_ERR_UNSUPPORTED_BY_CA` when the profile is not advertised (naming the
 *   ones that are); `CERTKEEPER_ERR_PROFILE_VIOLATION` listing every limit the order breaks.
 */
export function assertOrderFitsProfile(check: OrderProfileCheck): void {
  const { identifiers, profile, directoryProfiles } = check;
  const rules = check.rules ?? defaultProfileRules;
  const advertised = Object.keys(directoryProfiles ?? {});
  if (profile !== undefined && !advertised.includes(profile)) {
    const offer = advertised.length > 0 ? `it offers ${advertised.join(', ')}` : 'it advertises no profiles';
    throw new CertkeeperError(
      ErrorCodes.UNSUPPORTED_BY_CA,
      `The CA does not offer the profile "${profile}" (${offer}); nothing was sent.`,
      { hint: advertised.length > 0 ? 'choose one of the offered profiles.' : 'remove the profile option.' },
    );
  }

  const problems: string[] = [];
  const limits = profile !== undefined ? rules.profiles[profile] : undefined;
  const maxIdentifiers = maxIdentifiersOf(rules, profile);
  if (maxIdentifiers !== undefined && identifiers.length > maxIdentifiers) {
    const scope = profile === undefined ? 'an order without a profile' : `profile "${profile}"`;
    problems.push(
      `${scope} allows at most ${maxIdentifiers} identifiers; this order has ${identifiers.length}`,
    );
  }
  const refusedTypes = identifiers.filter(
    (id) => limits !== undefined && !limits.identifierTypes.includes(id.type),
  );
  if (refusedTypes.length > 0) {
    problems.push(
      `profile "${profile}" issues only for ${limits?.identifierTypes.join(' and ')} identifiers, not ${list(refusedTypes)}`,
    );
  }
  const ipProfile = rules.ipIdentifiersRequireProfile;
  const ips = identifiers.filter((id) => id.type === 'ip');
  if (ipProfile !== undefined && advertised.includes(ipProfile) && ips.length > 0 && profile !== ipProfile) {
    problems.push(`${rules.name} issues IP certificates only under profile "${ipProfile}" (${list(ips)})`);
  }
  if (problems.length === 0) return;
  throw new CertkeeperError(
    ErrorCodes.PROFILE_VIOLATION,
    `The order does not fit ${profile === undefined ? "the CA's default profile" : `profile "${profile}"`}; nothing was sent:\n` +
      problems.map((problem) => `  - ${problem}`).join('\n'),
    { hint: 'split the names over several certificates, or choose a profile that allows them.' },
  );
}

function list(identifiers: readonly Identifier[]): string {
  const shown = identifiers.slice(0, 5).map(formatIdentifier).join(', ');
  return identifiers.length > 5 ? `${shown} and ${identifiers.length - 5} more` : shown;
}
