import {
  AcmeProblemError,
  CertkeeperError,
  type Clock,
  clampRetryAfter,
  DEFAULT_MAX_RETRY_AFTER_MS,
  ErrorCodes,
  faultOf,
  type Logger,
  OrderFailedError,
  processSecretRedactor,
  type SecretRedactor,
  silentLogger,
  systemClock,
} from '@certkeeper/core';
import {
  type CertificateRecord,
  describeLeaseHolder,
  leaseHolderId,
  type OrderRecord,
  type Store,
} from '@certkeeper/store';
import { type BackoffOptions, nextRetryAfterFailure } from '../backoff/backoff-policy.js';
import { type CertificateRequest, certificateKey } from '../certificate-request.js';
import { SingleFlight } from '../coalescing/single-flight.js';
import { assessFreshness, type DueReason, type Freshness } from '../freshness/freshness-gate.js';
import { type LedgerSubject, RateLimitLedger } from '../ledger/rate-limit-ledger.js';
import { type Exemption, letsEncryptRateLimits, type RateLimitRuleSet } from '../ledger/rate-limit-rules.js';
import type { EnsureOutcome } from '../outcome.js';
import { accountBackoffKey, isAccountWideLimit, setBackoffKey } from './backoff-keys.js';
import { backoffWaiver, configurationChanged } from './backoff-rule.js';
import { type CertificateLeaseOptions, HeldLease, type LeaseWait, takeLease } from './certificate-lease.js';
import { describeError } from './describe-error.js';
import { finishedOrderMaterial, IssuanceCommit } from './issuance-commit.js';
import type { IssuedMaterial, IssueFunction } from './issue-function.js';
import { unrecordedFailure } from './unrecorded-failure.js';

export interface RenewalCoordinatorOptions {
  readonly store: Store;
  readonly clock?: Clock;
  readonly logger?: Logger;
  readonly rateLimits?: RateLimitRuleSet;
  readonly backoff?: BackoffOptions;
  /**
   * Who holds leases taken by this process: a `leaseHolderId(...)` (default one for this process), from which the
   * store can tell whether the holder still runs and take a dead holder's lease over at once.
   */
  readonly holder?: string;
  /** Lease lifetime; renewed every third of it while an order runs (default 30 s). */
  readonly leaseTtlMs?: number;
  /** How often a process waiting for another's lease looks again (default 250 ms). */
  readonly leasePollMs?: number;
  /** Told who holds a certificate's lease, and until when, while this process waits for it. */
  readonly onLeaseWait?: (wait: LeaseWait) => void;
  /** Give up waiting for another process's lease after this long, deferring instead (default 15 min). */
  readonly leaseWaitMs?: number;
  /** Used when a 429 or 503 comes without Retry-After (default 1 h). */
  readonly defaultRateLimitBackoffMs?: number;
  /** The longest a CA's Retry-After defers anything; the transport's ceiling (default 7 days, core's DEFAULT_MAX_RETRY_AFTER_MS). */
  readonly maxRetryAfterMs?: number;
  /**
   * Scrubs error text before it is stored (backoff reasons, ledger details) or returned in an outcome's reason: a
   * CA or DNS provider may echo a secret. Default: the process's redactor.
   */
  readonly redactor?: SecretRedactor;
}

/**
 * Applies every renewal decision in order, so that a renewal request can never burn a rate limit (seed 004):
 *
 * 1. freshness gate on stored data — fresh means done, with no request to the CA;
 * 2. single flight in this process, then a store lease across processes; after taking the lease the freshness is
 *    checked again ("lock, then re-check": another process may have just issued);
 * 3. backoff: a recorded retry time (from a CA's Retry-After, or exponential backoff after the CA's answers)
 *    defers the request; every queued request for the set collapses into the one retry at that time. `force` and a
 *    changed configuration override a failure backoff, never a Retry-After;
 * 4. the local rate-limit ledger refuses work the CA would refuse, naming the limit and when it opens;
 * 5. one order, with `replaces` for an ARI renewal — retried once without it if the CA refuses `replaces`;
 * 6. outcome recorded: certificate stored, ledger appended, backoff cleared — or set, for the CA's answers only
 *    (`faultOf`: a local or network failure leaves none).
 */
export class RenewalCoordinator {
  readonly ledger: RateLimitLedger;
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly flights = new SingleFlight<EnsureOutcome>();
  private readonly leases: CertificateLeaseOptions;
  private readonly commits: IssuanceCommit;
  private readonly options: RenewalCoordinatorOptions;
  private readonly redactor: SecretRedactor;

  constructor(options: RenewalCoordinatorOptions) {
    this.options = options;
    this.redactor = options.redactor ?? processSecretRedactor();
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.ledger = new RateLimitLedger(options.store, options.rateLimits ?? letsEncryptRateLimits, this.clock);
    this.commits = new IssuanceCommit(this.store, this.ledger, this.clock, this.logger);
    this.leases = {
      store: this.store,
      clock: this.clock,
      logger: this.logger,
      holder: options.holder ?? leaseHolderId(),
      ...(options.leaseTtlMs ? { ttlMs: options.leaseTtlMs } : {}),
      ...(options.leasePollMs ? { pollMs: options.leasePollMs } : {}),
      ...(options.onLeaseWait ? { onWait: options.onLeaseWait } : {}),
    };
  }

  /** Make sure a fresh certificate exists for the request; see the class comment for the order of decisions. */
  async ensure(
    request: CertificateRequest,
    issue: IssueFunction,
    signal?: AbortSignal,
  ): Promise<EnsureOutcome> {
    const key = certificateKey(request);
    const { fresh } = await this.readFreshness(request, key);
    // Fresh, unless a stopped run left an issuance to finish (its certificate stored, its order not yet removed).
    if (fresh && !(await this.pendingCommit(request, key))) return fresh;
    const { result, joined } = await this.flights.run(
      key,
      () => this.flow(request, key, issue, signal),
      signal,
    );
    return joined ? { ...result, joined: true, reason: `joined flow ${key}: ${result.reason}` } : result;
  }

  /** The stored certificate, its freshness, and — when it is fresh — the outcome that says so. */
  private async readFreshness(request: CertificateRequest, key: string) {
    const stored = await this.store.getCertificate(key);
    const freshness = assessFreshness(request, stored, this.clock.now());
    const fresh: EnsureOutcome | undefined =
      freshness.fresh && stored
        ? {
            type: 'fresh',
            certificate: stored,
            nextCheckAt: freshness.nextCheckAt,
            reason: freshness.explanation,
            joined: false,
          }
        : undefined;
    return { stored, freshness, fresh };
  }

  private async flow(
    request: CertificateRequest,
    key: string,
    issue: IssueFunction,
    signal?: AbortSignal,
  ): Promise<EnsureOutcome> {
    const blocked = await this.backoffOutcome(request);
    // Finishing an issuance a stopped run left costs nothing at the CA: no backoff holds it back.
    if (blocked && !(await this.pendingCommit(request, key))) return blocked;
    const lease = await this.takeLease(key, request, signal);
    if (!(lease instanceof HeldLease)) return lease;
    try {
      // Lock, then re-check: a stopped run may have left a certificate to store, another process may have issued,
      // or met a rate limit, while we waited.
      const pending = await this.pendingCommit(request, key);
      if (pending) return await this.commitPending(request, key, pending);
      const { stored, freshness, fresh } = await this.readFreshness(request, key);
      if (fresh)
        return { ...fresh, joined: true, reason: `issued meanwhile by another worker: ${fresh.reason}` };
      const blockedNow = await this.backoffOutcome(request);
      if (blockedNow) return blockedNow;
      const stop = signal ? AbortSignal.any([signal, lease.lost]) : lease.lost;
      return await this.issueOnce(request, key, issue, stored, freshness, stop);
    } finally {
      await lease.release();
    }
  }

  /** A finished order under the key that still holds its certificate: an issuance a stopped run did not commit. */
  private async pendingCommit(
    request: CertificateRequest,
    key: string,
  ): Promise<{ record: OrderRecord; material: IssuedMaterial } | undefined> {
    const record = await this.store.getOrder(key);
    if (!record || record.state.accountUrl !== request.accountUrl) return undefined;
    const material = finishedOrderMaterial(record.state);
    return material ? { record, material } : undefined;
  }

  /** Store what a stopped run issued, place nothing, and report it as the issuance it was. */
  private async commitPending(
    request: CertificateRequest,
    key: string,
    { record, material }: { record: OrderRecord; material: IssuedMaterial },
  ): Promise<EnsureOutcome> {
    const before = await this.store.getCertificate(key);
    const { replaces } = record.state;
    // Exempt only if the order was placed inside the replaced certificate's ARI window, as in attempt().
    const exempt = replaces !== undefined && this.insideAriWindow(before, Date.parse(record.state.createdAt));
    const certificate = await this.commits.commit({
      request,
      key,
      material,
      subject: { ...request, ...(exempt ? { replaces } : {}) },
      order: { revision: record.revision, createdAt: record.state.createdAt },
      resumed: true,
    });
    await this.store.deleteBackoff(setBackoffKey(request));
    this.logger.info({ key, orderId: record.state.id }, 'stored the certificate a stopped run had issued');
    const renewal = before !== undefined && before.serialNumberHex !== certificate.serialNumberHex;
    const type = renewal || replaces ? 'renewed' : 'issued';
    return {
      type,
      certificate,
      due: 'resumed',
      ...(replaces ? { replaced: replaces } : {}),
      reason: `${type} by an earlier run that stopped before storing it (order ${record.state.id}); stored now, nothing ordered; valid until ${certificate.notAfter}`,
      joined: false,
    };
  }

  private async issueOnce(
    request: CertificateRequest,
    key: string,
    issue: IssueFunction,
    stored: CertificateRecord | undefined,
    due: Freshness,
    signal?: AbortSignal,
  ): Promise<EnsureOutcome> {
    const dueReason: DueReason = due.fresh ? 'forced' : due.reason;
    const replaces = this.replacesFor(request, stored);
    let attempt = await this.attempt(request, key, issue, replaces, signal, this.insideAriWindow(stored));
    let replacesRefused: string | undefined;
    if (attempt.kind === 'error' && replaces && isReplacesRefusal(attempt.error)) {
      // lego, certmagic, cert-manager and acme.sh all left certificates unrenewable on exactly this answer.
      replacesRefused = this.describe(attempt.error);
      this.logger.warn(
        { key, replaces, reason: replacesRefused },
        'CA refused replaces; retrying once without it',
      );
      if (stored) await this.store.putCertificate({ ...stored, replacesRefused });
      attempt = await this.attempt(request, key, issue, undefined, signal, false);
    }
    if (attempt.kind === 'deferred') return attempt.outcome;
    if (attempt.kind === 'error') return this.failure(request, attempt.error);
    const usedReplaces = attempt.replaces;
    const { order } = attempt.material;
    const record = await this.commits
      .commit({
        request,
        key,
        material: attempt.material,
        // Sent with `replaces` is not the same as exempt: a forced renewal before the ARI window is counted.
        subject: attempt.subject,
        ...(order ? { order } : {}),
        resumed: false,
      })
      .finally(attempt.release);
    await this.store.deleteBackoff(setBackoffKey(request));
    const type = stored ? 'renewed' : 'issued';
    return {
      type,
      certificate: record,
      due: dueReason,
      ...(usedReplaces ? { replaced: usedReplaces } : {}),
      ...(replacesRefused ? { replacesRefused } : {}),
      reason: `${type} (${due.fresh ? 'forced' : due.explanation})${usedReplaces ? `, replacing ${usedReplaces} (ARI)` : ''}${replacesRefused ? `; the CA refused replaces: ${replacesRefused}` : ''}; valid until ${record.notAfter}`,
      joined: false,
    };
  }

  private async attempt(
    request: CertificateRequest,
    key: string,
    issue: IssueFunction,
    replaces: string | undefined,
    signal: AbortSignal | undefined,
    ariExempt: boolean,
  ): Promise<
    | {
        kind: 'ok';
        material: Awaited<ReturnType<IssueFunction>>;
        replaces?: string;
        /** What the ledger counts this issuance against: `replaces` only when the CA exempts it. */
        subject: LedgerSubject;
        /** Drops the ledger's hold on the certificate: once the commit has recorded it (or failed). */
        release: () => void;
      }
    | { kind: 'deferred'; outcome: EnsureOutcome }
    | { kind: 'error'; error: unknown }
  > {
    // The ledger sees `replaces` (the ARI exemption) only inside the CA's window: a forced renewal before it is
    // still sent with `replaces`, but Let's Encrypt counts it like any other order.
    const subject = { ...request, ...(replaces && ariExempt ? { replaces } : {}) };
    // An order already in flight for this certificate costs nothing more to finish: no limit applies to resuming it.
    const inFlight = await this.store.getOrder(key);
    // Admitted work is held in the ledger until recorded: certificates in flight at once do not share a last token.
    const { verdict, release } = await this.ledger.admit(subject, inFlight !== undefined);
    if (!verdict.allowed && !inFlight) {
      release();
      return {
        kind: 'deferred',
        outcome: {
          type: 'deferred',
          until: verdict.allowedAt,
          limit: verdict.rule.name,
          reason: `deferred until ${verdict.allowedAt.toISOString()} by ${verdict.explanation}`,
          joined: false,
        },
      };
    }
    const exemptions: readonly Exemption[] = verdict.allowed
      ? verdict.exemptions
      : replaces && ariExempt
        ? ['ari-renewal']
        : [];
    const onOrderCreated = () =>
      this.ledger
        .record('new-order', subject, exemptions.length > 0 ? { exempt: true } : {})
        .finally(() => release('new-order'));
    try {
      const material = await issue({
        request,
        key,
        onOrderCreated,
        firstPolls: verdict.firstPolls,
        ...(replaces ? { replaces } : {}),
        ...(signal ? { signal } : {}),
      });
      return { kind: 'ok', material, subject, release, ...(replaces ? { replaces } : {}) };
    } catch (error) {
      // Whatever follows records what the CA counted itself.
      release();
      // Another process has the order now (it took the lease over, or wrote the order since we read it): leave it
      // to that process. Not a failure: no backoff, no ledger entry.
      const handedOver = this.handedOver(key, signal, error);
      if (handedOver) return { kind: 'deferred', outcome: handedOver };
      // Cancelled by the caller, or put aside during a long wait: nothing failed. No backoff, no ledger entry; the
      // stored order is resumed later.
      const code = CertkeeperError.isInstance(error) ? error.code : undefined;
      if (signal?.aborted || code === ErrorCodes.ABORTED || code === ErrorCodes.SUSPENDED) throw error;
      const limited = await this.rateLimitOutcome(request, subject, error);
      if (limited) return { kind: 'deferred', outcome: limited };
      if (code === ErrorCodes.CERTIFICATE_REJECTED) {
        // The CA issued it (and counts it) even though it was refused here: the ledger counts it too.
        await this.ledger.record('certificate', subject, {
          ...(exemptions.includes('ari-renewal') ? { exempt: true } : {}),
          detail: this.describe(error).slice(0, 300),
        });
      }
      if (
        error instanceof OrderFailedError &&
        error.identifier &&
        error.code === ErrorCodes.AUTHORIZATION_FAILED
      ) {
        // Counted by the CA's failed-validation limit: the ledger keeps it so a retry loop cannot reach it.
        await this.ledger.record('authorization-failure', subject, {
          identifier: error.identifier,
          detail: this.redactor.redact(error.message).slice(0, 300),
        });
      }
      return { kind: 'error', error };
    }
  }

  /** A rate-limit answer (429, or 503 with Retry-After): one retry time for the set — and the account if account-wide. */
  private async rateLimitOutcome(
    request: CertificateRequest,
    subject: Parameters<RateLimitLedger['record']>[1],
    error: unknown,
  ): Promise<EnsureOutcome | undefined> {
    const isLimit =
      CertkeeperError.isInstance(error) &&
      (error.code === ErrorCodes.RATE_LIMITED ||
        (AcmeProblemError.isInstance(error) && error.status === 503));
    if (!isLimit) return undefined;
    const now = this.clock.now();
    const until =
      error.retryAfter && error.retryAfter > now
        ? this.boundedRetryAfter(error.retryAfter, now)
        : new Date(now.getTime() + (this.options.defaultRateLimitBackoffMs ?? 3_600_000));
    const detail = this.redactor.redact(
      AcmeProblemError.isInstance(error) ? (error.detail ?? error.message) : error.message,
    );
    const keys = [setBackoffKey(request), ...(isAccountWideLimit(error) ? [accountBackoffKey(request)] : [])];
    for (const backoffKey of keys) {
      await this.store.putBackoff({
        key: backoffKey,
        retryAt: until.toISOString(),
        reason: `the CA answered rateLimited: ${detail}`,
        failures: 0,
        rateLimited: true,
        updatedAt: now.toISOString(),
      });
    }
    // The ledger did not predict this (or the store was rebuilt): remember it, so nothing is asked before `until`.
    await this.ledger.record('rate-limited', subject, {
      retryAfter: until.toISOString(),
      limit: 'ca',
      detail: detail.slice(0, 300),
    });
    return {
      type: 'deferred',
      until,
      limit: 'ca:rateLimited',
      reason: `deferred until ${until.toISOString()} by the CA's rate limit: ${detail}`,
      joined: false,
    };
  }

  /** A CA's retry time within the ceiling, with a warning naming what was asked when it was longer. */
  private boundedRetryAfter(at: Date, now: Date): Date {
    const maxMs = this.options.maxRetryAfterMs ?? DEFAULT_MAX_RETRY_AFTER_MS;
    const bounded = clampRetryAfter(at, now, maxMs);
    if (bounded !== at)
      this.logger.warn(
        { retryAfter: at.toISOString(), clampedTo: bounded.toISOString() },
        `the CA asked to wait until ${at.toISOString()}, past the ${maxMs / 3_600_000} h ceiling; deferring until ${bounded.toISOString()} instead`,
      );
    return bounded;
  }

  /**
   * A failed order. Only the CA's answer is backed off (persisted, so every process and the next cron run defer
   * until then): asking again at once gets the same answer and spends the CA's limits. A local mistake (an untrusted
   * CA certificate, no fitting solver, a bad option) or an unreachable network records nothing, so the fixed run —
   * or the next one — proceeds at once (issue 10: a local failure had deferred even the fixed run and `--force`).
   */
  private async failure(request: CertificateRequest, error: unknown): Promise<EnsureOutcome> {
    const now = this.clock.now();
    const fault = faultOf(error);
    if (fault !== 'ca') return unrecordedFailure(error, now, this.options.backoff, this.redactor);
    const key = setBackoffKey(request);
    const previous = await this.store.getBackoff(key);
    // A rate-limit record, or failures under another configuration, do not add to this configuration's count.
    const counted = previous && !previous.rateLimited && !configurationChanged(previous, request);
    const failures = (counted ? previous.failures : 0) + 1;
    const retryAt = nextRetryAfterFailure(failures, now, this.options.backoff);
    await this.store.putBackoff({
      key,
      retryAt: retryAt.toISOString(),
      reason: this.describe(error),
      failures,
      ...(request.configFingerprint ? { configFingerprint: request.configFingerprint } : {}),
      updatedAt: now.toISOString(),
    });
    return {
      type: 'failed',
      error,
      fault,
      retryAt,
      failures,
      reason: `failed (the CA's answer, ${failures} in a row), next attempt after ${retryAt.toISOString()} (--force or a changed configuration tries sooner): ${this.describe(error)}`,
      joined: false,
    };
  }

  /** An error as one line for a stored record or an outcome, secrets scrubbed. */
  private describe(error: unknown): string {
    return this.redactor.redact(describeError(error));
  }

  /**
   * A recorded retry time that still defers this request: the account's or the set's. A CA's Retry-After (rate
   * limit) always does. A failure backoff does not when the request is forced, nor when it was recorded under another
   * configuration than the request's (the configuration was changed, presumably to fix the failure).
   */
  private async backoffOutcome(request: CertificateRequest): Promise<EnsureOutcome | undefined> {
    const now = this.clock.now();
    for (const key of [accountBackoffKey(request), setBackoffKey(request)]) {
      const record = await this.store.getBackoff(key);
      if (!record) continue;
      const waiver = backoffWaiver(record, request, now);
      if (waiver === 'forced' || waiver === 'configuration-changed') {
        this.logger.info(
          { key, retryAt: record.retryAt, waiver },
          waiver === 'forced'
            ? 'failure backoff overridden by force'
            : 'failure backoff recorded under another configuration; not deferring',
        );
      }
      if (waiver) continue;
      return {
        type: 'deferred',
        until: new Date(record.retryAt),
        ...(record.rateLimited ? { limit: 'ca:rateLimited' } : {}),
        reason: `deferred until ${record.retryAt} (${key.startsWith('account|') ? 'account-wide' : 'this identifier set'}): ${this.redactor.redact(record.reason)}`,
        joined: false,
      };
    }
    return undefined;
  }

  /** Wait for the cross-process lease on `key`, deferring if it stays taken too long or a backoff appears. */
  private takeLease(
    key: string,
    request: CertificateRequest,
    signal?: AbortSignal,
  ): Promise<HeldLease | EnsureOutcome> {
    const started = Date.now();
    const waitMs = this.options.leaseWaitMs ?? 900_000;
    return takeLease(
      `certificate|${key}`,
      { key, identifiers: request.identifiers },
      this.leases,
      async (holder) => {
        const blocked = await this.backoffOutcome(request);
        if (blocked || Date.now() - started <= waitMs) return blocked;
        const until = holder ? new Date(holder.expiresAt) : this.clock.now();
        return {
          type: 'deferred',
          until,
          reason: `deferred: ${holder ? describeLeaseHolder(holder.holder) : 'another process'} has held the lease on ${key} for over ${Math.round(waitMs / 1000)} s`,
          joined: false,
        } satisfies EnsureOutcome;
      },
      signal,
    );
  }

  /** The run stopped because another process has the order now: the outcome that says so, or undefined. */
  private handedOver(
    key: string,
    signal: AbortSignal | undefined,
    error: unknown,
  ): EnsureOutcome | undefined {
    const reason: unknown = signal?.aborted ? signal.reason : error;
    const code = CertkeeperError.isInstance(reason) ? reason.code : undefined;
    if (code !== ErrorCodes.LEASE_LOST && code !== ErrorCodes.STORE_CONFLICT) return undefined;
    const why = this.redactor.redact((reason as CertkeeperError).message);
    this.logger.warn({ key, code }, why);
    return {
      type: 'deferred',
      until: new Date(this.clock.now().getTime() + (this.options.leaseTtlMs ?? 30_000)),
      reason: `deferred: another process has the order for ${key} now (${why})`,
      joined: false,
    };
  }

  /**
   * Let's Encrypt exempts an ARI renewal from its limits when it arrives inside the suggested window
   * (shared/ACME-NOTES.md); a late one (the window passed) still is.
   */
  private insideAriWindow(stored: CertificateRecord | undefined, at = this.clock.now().getTime()): boolean {
    const start = stored?.renewalInfo?.windowStart;
    return start !== undefined && at >= Date.parse(start);
  }

  /**
   * `replaces` only for a certificate of the same CA and account, whose renewalInfo was fetched from the CA (so the
   * CA speaks ARI), and for which the CA has not already refused it.
   */
  private replacesFor(
    request: CertificateRequest,
    stored: CertificateRecord | undefined,
  ): string | undefined {
    if (!stored?.ariCertId || !stored.renewalInfo || stored.replacesRefused || stored.revokedAt)
      return undefined;
    if (stored.directoryUrl !== request.directoryUrl || stored.accountUrl !== request.accountUrl)
      return undefined;
    return stored.ariCertId;
  }
}

/** RFC 9773 §5: `alreadyReplaced`; other CAs answer a `replaces` they dislike with malformed or unauthorized. */
function isReplacesRefusal(error: unknown): boolean {
  return (
    AcmeProblemError.isInstance(error) &&
    ['alreadyReplaced', 'malformed', 'unauthorized', 'conflict'].includes(error.type)
  );
}
