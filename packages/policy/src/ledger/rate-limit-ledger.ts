import {
  type Clock,
  defaultPollPolicy,
  type FirstPollDelays,
  type Identifier,
  identifierSetKey,
  learnFirstPolls,
  POLL_HISTORY,
  systemClock,
} from '@certkeeper/core';
import type { LedgerEvent, LedgerEventKind, Store } from '@certkeeper/store';
import { LedgerReservations } from './ledger-reservations.js';
import {
  type Exemption,
  letsEncryptRateLimits,
  type RateLimitRule,
  type RateLimitRuleSet,
} from './rate-limit-rules.js';
import { registeredDomainOf, registeredDomainsOf } from './registered-domain.js';
import { readBucket } from './token-bucket.js';

/**
 * How far back certificates' poll timing notes are read (`LedgerVerdict.firstPolls`): a CA's recent speed, not
 * last month's, and at most a few ledger days to read for a CA whose limits need none.
 */
const POLL_NOTES_WINDOW_MS = 3 * 86_400_000;

/** The request being checked against the CA's limits. */
export interface LedgerSubject {
  readonly directoryUrl: string;
  readonly accountUrl: string;
  readonly identifiers: readonly Identifier[];
  /** Set for an ARI renewal (RFC 9773 `replaces`). */
  readonly replaces?: string;
}

export interface RuleBudget {
  readonly rule: RateLimitRule;
  /** The bucket this request draws from (an account, a registered domain, the exact set...). */
  readonly bucket: string;
  readonly remaining: number;
  readonly nextTokenAt: Date;
  readonly exempt: boolean;
}

export type LedgerVerdict = (
  | {
      readonly allowed: true;
      readonly exemptions: readonly Exemption[];
      readonly budgets: readonly RuleBudget[];
    }
  | {
      readonly allowed: false;
      readonly rule: RateLimitRule;
      readonly bucket: string;
      readonly allowedAt: Date;
      readonly explanation: string;
      readonly budgets: readonly RuleBudget[];
    }
) & {
  /**
   * The first polls learnt from the certificates the ledger holds at this CA (their `pollTiming`), read with the
   * ledger at no extra cost: `IssueContext.firstPolls`.
   */
  readonly firstPolls: FirstPollDelays;
};

/**
 * A local record of what the CA counts — orders, failed authorizations, issued certificates — checked before any
 * new order, so work that would trip a limit is refused here, with the limit's name and the earliest time it would
 * be allowed, instead of at the CA. Kept in the Store, so a rebuilt worker knows what was spent (seed 004: a
 * rebuilt cluster was locked out for a week by certificates its predecessor had burnt invisibly).
 */
export class RateLimitLedger {
  constructor(
    private readonly store: Store,
    readonly rules: RateLimitRuleSet = letsEncryptRateLimits,
    private readonly clock: Clock = systemClock,
  ) {}

  async check(subject: LedgerSubject): Promise<LedgerVerdict> {
    const now = this.clock.now().getTime();
    const maxWindow = Math.max(this.rules.renewalLookbackMs, ...this.rules.rules.map((r) => r.windowMs), 0);
    // The notes apart, and only the newest the learning reads: a CA without limits needs no window of events, and
    // a busy one's three days can hold hundreds of thousands (read again before every order).
    const [stored, noted] = await Promise.all([
      this.store.queryLedger({
        directoryUrl: subject.directoryUrl,
        since: new Date(now - maxWindow).toISOString(),
      }),
      this.store.queryLedger({
        directoryUrl: subject.directoryUrl,
        since: new Date(now - POLL_NOTES_WINDOW_MS).toISOString(),
        kinds: ['certificate'],
        newest: POLL_HISTORY,
      }),
    ]);
    // Exemptions follow what the CA has seen; the budgets also count what this process admitted and is about to spend.
    const exemptions = await this.exemptionsFor(subject, stored, now);
    const events = [...stored, ...LedgerReservations.of(this.store).heldFor(subject.directoryUrl)];
    const budgets: RuleBudget[] = [];
    for (const rule of this.rules.rules) {
      const exempt = rule.exemptions.some((e) => exemptions.includes(e));
      for (const bucket of bucketsOf(rule, subject)) {
        const times = events
          .filter(
            (e) =>
              e.kind === rule.counts &&
              !e.exempt &&
              Date.parse(e.at) >= now - rule.windowMs &&
              inBucket(rule, bucket, e),
          )
          .map((e) => Date.parse(e.at));
        budgets.push({ rule, bucket, exempt, ...readBucket(times, rule.limit, rule.windowMs, now) });
      }
    }
    // When several limits are hit, report the one that opens last, as the CA does.
    const blocking = budgets
      .filter((b) => !b.exempt && b.remaining < 1)
      .sort((a, b) => b.nextTokenAt.getTime() - a.nextTokenAt.getTime())[0];
    const firstPolls = learnFirstPolls(
      noted
        .filter((e) => e.pollTiming)
        .reverse()
        .map((e) => e.pollTiming),
      defaultPollPolicy.maxDelayMs,
    );
    if (!blocking) return { allowed: true, exemptions, budgets, firstPolls };
    return {
      allowed: false,
      firstPolls,
      rule: blocking.rule,
      bucket: blocking.bucket,
      allowedAt: blocking.nextTokenAt,
      explanation: `refused locally by ${blocking.rule.name} (${blocking.rule.description}) for ${blocking.bucket}; allowed again at ${blocking.nextTokenAt.toISOString()}`,
      budgets,
    };
  }

  /**
   * `check`, and when allowed, hold what the order will spend — a new order (unless `resuming` one already placed)
   * and a certificate — as if recorded, until the returned `release(kind)` for each (after recording it, or when the
   * order ended without it; `release()` drops all). Certificates admitted at once in this process (any ledger on
   * this store) then never share one last token.
   */
  async admit(
    subject: LedgerSubject,
    resuming: boolean,
  ): Promise<{ verdict: LedgerVerdict; release: (kind?: 'new-order' | 'certificate') => void }> {
    const reservations = LedgerReservations.of(this.store);
    return reservations.serialized(async () => {
      const verdict = await this.check(subject);
      const releases = new Map<string, () => void>();
      if (verdict.allowed) {
        const at = this.clock.now().toISOString();
        const event = (kind: 'new-order' | 'certificate', exempt: boolean): LedgerEvent => ({
          kind,
          at,
          directoryUrl: subject.directoryUrl,
          accountUrl: subject.accountUrl,
          identifierSet: identifierSetKey(subject.identifiers),
          identifiers: subject.identifiers.map(({ type, value }) => ({ type, value })),
          ...(exempt ? { exempt: true } : {}),
        });
        // Exempt as the events recorded for them will be (the coordinator's and the commit's rules).
        if (!resuming)
          releases.set('new-order', reservations.hold(event('new-order', verdict.exemptions.length > 0)));
        releases.set('certificate', reservations.hold(event('certificate', subject.replaces !== undefined)));
      }
      const release = (kind?: 'new-order' | 'certificate') => {
        for (const [held, drop] of releases)
          if (!kind || held === kind) {
            drop();
            releases.delete(held);
          }
      };
      return { verdict, release };
    });
  }

  /** Append one event. `exempt` marks work the CA does not count (an ARI renewal at Let's Encrypt). */
  async record(
    kind: LedgerEventKind,
    subject: LedgerSubject,
    extra: Partial<
      Pick<LedgerEvent, 'identifier' | 'exempt' | 'limit' | 'retryAfter' | 'detail' | 'pollTiming'>
    > = {},
  ): Promise<void> {
    await this.store.appendLedger({
      kind,
      at: this.clock.now().toISOString(),
      directoryUrl: subject.directoryUrl,
      accountUrl: subject.accountUrl,
      identifierSet: identifierSetKey(subject.identifiers),
      identifiers: subject.identifiers.map(({ type, value }) => ({ type, value })),
      ...extra,
    });
  }

  /** Which exemptions apply: ARI renewal when `replaces` is set; renewal when the exact set was issued recently. */
  async exemptionsFor(
    subject: LedgerSubject,
    events?: readonly LedgerEvent[],
    now = this.clock.now().getTime(),
  ): Promise<Exemption[]> {
    const exemptions: Exemption[] = subject.replaces ? ['ari-renewal'] : [];
    if (this.rules.renewalLookbackMs > 0) {
      const set = identifierSetKey(subject.identifiers);
      const history =
        events ??
        (await this.store.queryLedger({
          directoryUrl: subject.directoryUrl,
          since: new Date(now - this.rules.renewalLookbackMs).toISOString(),
          kinds: ['certificate'],
          identifierSet: set,
        }));
      if (
        history.some(
          (e) =>
            e.kind === 'certificate' &&
            e.identifierSet === set &&
            Date.parse(e.at) >= now - this.rules.renewalLookbackMs,
        )
      ) {
        exemptions.push('renewal');
      }
    }
    return exemptions;
  }
}

function bucketsOf(rule: RateLimitRule, subject: LedgerSubject): string[] {
  switch (rule.scope) {
    case 'account':
      return [`account ${subject.accountUrl}`];
    case 'exact-set':
      return [`identifier set ${identifierSetKey(subject.identifiers)}`];
    case 'registered-domain':
      return registeredDomainsOf(subject.identifiers).map((domain) => `registered domain ${domain}`);
    case 'account-identifier':
      return subject.identifiers.map(
        (identifier) =>
          `identifier ${identifier.type}:${identifier.value.replace(/^\*\./, '')} of account ${subject.accountUrl}`,
      );
  }
}

function inBucket(rule: RateLimitRule, bucket: string, event: LedgerEvent): boolean {
  switch (rule.scope) {
    case 'account':
      return bucket === `account ${event.accountUrl}`;
    case 'exact-set':
      return bucket === `identifier set ${event.identifierSet}`;
    case 'registered-domain':
      return event.identifiers.some(
        (identifier) => bucket === `registered domain ${registeredDomainOf(identifier)}`,
      );
    case 'account-identifier':
      return (
        !!event.identifier &&
        bucket ===
          `identifier ${event.identifier.type}:${event.identifier.value.replace(/^\*\./, '')} of account ${event.accountUrl}`
      );
  }
}
