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
  /** Limit on identifiers when the order names no profile (the CA's default applies). */
  readonly maxIdentifiersWithoutProfile: number;
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

/** For CAs we know nothing about: no profile limits, and the common 100-name ceiling without a profile. */
export const genericProfileRules: ProfileRuleSet = {
  name: 'generic',
  profiles: {},
  maxIdentifiersWithoutProfile: 100,
};

/** Profile rules used when the caller gives none. */
export const defaultProfileRules: ProfileRuleSet = letsEncryptProfileRules;
