import type { LedgerEventKind } from '@certkeeper/store';

/** What a rule counts events by. */
export type RuleScope =
  /** Per ACME account. */
  | 'account'
  /** Per exact identifier set, across all accounts. */
  | 'exact-set'
  /** Per registered domain (PSL) or IP, across all accounts. */
  | 'registered-domain'
  /** Per account and single identifier. */
  | 'account-identifier';

/** Kinds of request a CA exempts from a rule. */
export type Exemption =
  /** An ARI renewal: `replaces` names a current certificate of the same account (RFC 9773). */
  | 'ari-renewal'
  /** A renewal of an exact identifier set issued in the last 120 days (Let's Encrypt). */
  | 'renewal';

/**
 * One CA limit, as a token bucket: `limit` tokens, refilled one every `windowMs / limit` (Let's Encrypt documents
 * its limits exactly so: "50 per 7 days, refill 1 per 202 minutes").
 */
export interface RateLimitRule {
  readonly name: string;
  readonly description: string;
  readonly counts: LedgerEventKind;
  readonly scope: RuleScope;
  readonly limit: number;
  readonly windowMs: number;
  readonly exemptions: readonly Exemption[];
}

export interface RateLimitRuleSet {
  readonly name: string;
  readonly rules: readonly RateLimitRule[];
  /** How far back a non-ARI renewal counts as one (Let's Encrypt: 120 days). */
  readonly renewalLookbackMs: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Let's Encrypt's limits (rate limits page, revised 2026-08). */
export const letsEncryptRateLimits: RateLimitRuleSet = {
  name: "Let's Encrypt",
  renewalLookbackMs: 120 * DAY,
  rules: [
    {
      name: 'newOrdersPerAccount',
      description: 'new orders per account (300 per 3 hours)',
      counts: 'new-order',
      scope: 'account',
      limit: 300,
      windowMs: 3 * HOUR,
      exemptions: ['ari-renewal', 'renewal'],
    },
    {
      name: 'certificatesPerRegisteredDomain',
      description: 'new certificates per registered domain (50 per 7 days)',
      counts: 'certificate',
      scope: 'registered-domain',
      limit: 50,
      windowMs: 7 * DAY,
      exemptions: ['ari-renewal', 'renewal'],
    },
    {
      name: 'certificatesPerExactSet',
      description: 'new certificates per exact set of identifiers (5 per 7 days)',
      counts: 'certificate',
      scope: 'exact-set',
      limit: 5,
      windowMs: 7 * DAY,
      exemptions: ['ari-renewal'],
    },
    {
      name: 'authorizationFailuresPerIdentifier',
      description: 'authorization failures per identifier per account (5 per hour)',
      counts: 'authorization-failure',
      scope: 'account-identifier',
      limit: 5,
      windowMs: HOUR,
      exemptions: ['ari-renewal'],
    },
  ],
};

/** For a CA with no known limits: nothing is refused locally, CA answers still collapse retries. */
export const noRateLimits: RateLimitRuleSet = { name: 'none', renewalLookbackMs: 0, rules: [] };

/**
 * The rule set for a CA, by its directory URL: Let's Encrypt's production limits for Let's Encrypt production, and no
 * local rules for any other CA (staging's limits are far higher, other CAs publish their own) — their 429 answers
 * still collapse retries through backoff. Configure a rule set explicitly to override.
 */
export function rateLimitsFor(directoryUrl: string): RateLimitRuleSet {
  try {
    return new URL(directoryUrl).hostname === 'acme-v02.api.letsencrypt.org'
      ? letsEncryptRateLimits
      : noRateLimits;
  } catch {
    return noRateLimits;
  }
}
