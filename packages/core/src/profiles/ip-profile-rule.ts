import { CertkeeperError } from '../errors/certkeeper-error.js';
import { ErrorCodes } from '../errors/codes.js';
import type { Identifier } from '../identifiers/identifier.js';
import { formatIdentifier } from '../identifiers/identifier.js';
import { type ProfileRuleSet, profileRulesFor } from './profile-rules.js';

/** What to do when IP addresses are ordered without the CA's IP profile: config key, flag, and the trade-off. */
export function ipProfileHint(profile: string): string {
  return `add \`profile: ${profile}\` to this certificate in the config, or pass --profile ${profile}; certificates under it are short-lived (Let’s Encrypt: 160 hours, renewed about every 3 days), so keep names that should not share that lifetime in a certificate of their own.`;
}

/** The rule's complaint about an order, or undefined when it fits (no IPs, the IP profile, or no such rule). */
export function ipProfileProblem(
  rules: ProfileRuleSet,
  identifiers: readonly Identifier[],
  profile: string | undefined,
): string | undefined {
  const required = rules.ipIdentifiersRequireProfile;
  const ips = identifiers.filter((identifier) => identifier.type === 'ip');
  if (required === undefined || ips.length === 0 || profile === required) return undefined;
  const shown = ips.slice(0, 5).map(formatIdentifier).join(', ');
  const more = ips.length > 5 ? ` and ${ips.length - 5} more` : '';
  const asked = profile === undefined ? 'this order names no profile' : `this order names "${profile}"`;
  return `${rules.name} issues certificates for IP addresses only under profile "${required}"; ${asked}, for ${shown}${more}`;
}

/**
 * Refuses, from the directory URL alone and so before any request (account registration included), an order the
 * CA is known to refuse: Let's Encrypt issues IP-address certificates only under `shortlived` (since 2026-01-15),
 * and its `classic` default would answer with a rejection after a new-order token was spent.
 *
 * @throws {CertkeeperError} `CERTKEEPER_ERR_PROFILE_VIOLATION` naming the IP addresses and the profile to use.
 */
export function assertKnownCaProfileRules(input: {
  readonly directoryUrl: string;
  readonly identifiers: readonly Identifier[];
  readonly profile?: string | undefined;
}): void {
  const rules = profileRulesFor(input.directoryUrl);
  const problem = ipProfileProblem(rules, input.identifiers, input.profile);
  if (problem === undefined) return;
  throw new CertkeeperError(ErrorCodes.PROFILE_VIOLATION, `${problem}. Nothing was sent.`, {
    hint: ipProfileHint(rules.ipIdentifiersRequireProfile!),
  });
}
