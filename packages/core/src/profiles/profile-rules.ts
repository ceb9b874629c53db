/** What one CA profile allows in an order, as far as a client can check before sending it. */
export interface ProfileLimits {
  /** At most this many identifiers (names and IPs together) per order. */
  readonly maxIdentifiers: number;
  /** Identifier types the profile issues for. */
  readonly identifierTypes: readonly ('dns' | 'ip')[];
}

/**
 * A CA's known profiles and order rules. Rule sets are data, so another CA gets its own set instead of a code
 * change; a CA without one is checked with {@link genericProfileRules}.
 */
export interface ProfileRuleSet {
  /** For messages, e.g. "Let's Encrypt". */
  readonly name: string;
  /**
   * Limits of the profiles this rule set knows, by profile name. A profile the directory advertises but that
   * is not listed here is checked only for being advertised: the CA knows its limits, we do not.
   */
  readonly profiles: Readonly<Record<string, ProfileLimits>>;
  /** Limit on identifiers when the order names no profile (the CA's default applies); undefined: none known. */
  readonly maxIdentifiersWithoutProfile?: number;
  /**
   * When set and the directory advertises this profile, orders with IP identifiers MUST request it: the CA
   * issues IP certificates only under that profile.
   */
  readonly ipIdentifiersRequireProfile?: string;
}

/**
 * Let's Encrypt's profiles (profiles page, 2026-07): `classic` (default, 100 DNS names), `tlsserver` (25 DNS
 * names), `shortlived` (25 DNS names or IP addresses; IP certificates require it). The IP rule takes effect only
 * with a directory that advertises `shortlived`, so a CA without profiles (Pebble) is not held to it.
 */
export const letsEncryptProfileRules: ProfileRuleSet = {
  name: "Let's Encrypt",
  profiles: {
    classic: { maxIdentifiers: 100, identifierTypes: ['dns'] },
    tlsserver: { maxIdentifiers: 25, identifierTypes: ['dns'] },
    shortlived: { maxIdentifiers: 25, identifierTypes: ['dns', 'ip'] },
  },
  maxIdentifiersWithoutProfile: 100,
  ipIdentifiersRequireProfile: 'shortlived',
};

/**
 * For CAs we know nothing about (Pebble, a private CA): no local limits. Their directories publish none, so the
 * CA's own answer is the only authority; a user who knows the limit configures it (the CLI's `ca.maxNames`).
 */
export const genericProfileRules: ProfileRuleSet = {
  name: 'generic',
  profiles: {},
};

/** Profile rules used when the caller gives none. */
export const defaultProfileRules: ProfileRuleSet = letsEncryptProfileRules;

/** Let's Encrypt's production and staging hosts, which share one profile table (profiles page, 2026-07). */
const LETS_ENCRYPT_HOSTS: ReadonlySet<string> = new Set([
  'acme-v02.api.letsencrypt.org',
  'acme-staging-v02.api.letsencrypt.org',
]);

/**
 * The rule set of the CA at this directory URL, known without asking it (as the policy's `rateLimitsFor` picks
 * rate limits): Let's Encrypt's for its hosts, {@link genericProfileRules} for any other.
 */
export function profileRulesFor(directoryUrl: string): ProfileRuleSet {
  try {
    return LETS_ENCRYPT_HOSTS.has(new URL(directoryUrl).hostname)
      ? letsEncryptProfileRules
      : genericProfileRules;
  } catch {
    return genericProfileRules;
  }
}

/** Most identifiers one order may hold under `profile` (undefined: the CA's default), or undefined if unknown. */
export function maxIdentifiersOf(rules: ProfileRuleSet, profile: string | undefined): number | undefined {
  return profile === undefined ? rules.maxIdentifiersWithoutProfile : rules.profiles[profile]?.maxIdentifiers;
}
