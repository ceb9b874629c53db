import {
  abortable,
  assertCsrMatchesIdentifiers,
  assertKnownCaProfileRules,
  type CertificateKeyType,
  CertkeeperError,
  type ChallengeSolver,
  type Clock,
  ErrorCodes,
  type Identifier,
  type Logger,
  parseCsr,
  parseIdentifiers,
  preflight,
  sleep,
} from '@certkeeper/core';
import {
  AriService,
  certificateKey,
  type EnsureOutcome,
  issuanceFingerprint,
  type RenewalCoordinator,
  type RequestCsr,
  renewalTime,
  unrecordedFailure,
} from '@certkeeper/policy';
import { type CertificateRecord, dueCertificates, type Store } from '@certkeeper/store';
import type { AccountRegistry } from './account-registry.js';
import type { DryRun, DryRunResult, DryRunScope } from './dry-run.js';
import { ManagerEventEmitter } from './events.js';
import type { CertkeeperMetrics } from './metrics.js';
import type { ManagerOptions } from './options.js';
import type { OrderRunner } from './order-runner.js';

/** What a caller asks for: names (and IPs) to keep a certificate for. */
export interface EnsureRequest {
  readonly identifiers: ReadonlyArray<string | Identifier>;
  readonly profile?: string;
  readonly keyType?: CertificateKeyType;
  /**
   * Renew even when fresh, and despite a backoff after a failure (a CA's Retry-After and the rate-limit ledger still
   * apply).
   */
  readonly force?: boolean;
  /** Renew once less than this many ms remain; an earlier ARI window still wins (policy's `renewalTime`). */
  readonly renewBeforeMs?: number;
  /**
   * A renewal keeps the stored certificate's private key (same type, not revoked) instead of generating one — for
   * pinned keys (HPKP-era setups, DANE TLSA 3 1 1). A new certificate, or a changed key type, gets a new key.
   */
  readonly reuseKey?: boolean;
  /**
   * The caller's own CSR (PEM or DER; its signature is verified): the order finalizes with exactly it, and the
   * certificate is verified against its key and names. Its names must be `identifiers`; `keyType` is its key's
   * (a different one is refused), and `reuseKey` does not go with it. The stored certificate has no private key
   * (`externalKey`); renewals need the CSR again — a stored certificate with an external key is renewed only by
   * an `ensure` that gives one, never by the sweep of stored certificates alone.
   */
  readonly csr?: string | Uint8Array;
  /**
   * `issuanceFingerprint` of everything that decides how this certificate is ordered and proven (the CLI gives one
   * from its configuration, with each solver's non-secret settings). Default: one computed from the CA, the key
   * type, the profile and the configured solvers' types. A failure backoff recorded under another fingerprint no
   * longer defers the request.
   */
  readonly configFingerprint?: string;
}

export interface EnsureOptions {
  readonly signal?: AbortSignal;
  /**
   * Hand back long waits instead of sleeping in them: the order is stored and an OrderSuspendedError says when to
   * continue (worker mode uses this so a propagation wait frees the worker).
   */
  readonly suspendWaitsLongerThanMs?: number;
}

export interface SweepResult {
  readonly checked: number;
  readonly outcomes: readonly EnsureOutcome[];
  /** The earliest time any certificate needs attention again. */
  readonly nextCheckAt: Date | undefined;
}

/**
 * Keeps certificates fresh: `ensure` one, `renewDue` sweep the store, `run` until stopped. Every decision goes
 * through the policy's RenewalCoordinator, so calling any of these as often as you like never burns a rate limit.
 */
export class CertificateManager {
  private readonly managed = new Map<string, EnsureRequest>();

  constructor(
    private readonly options: ManagerOptions,
    private readonly store: Store,
    private readonly coordinator: RenewalCoordinator,
    private readonly runner: OrderRunner,
    private readonly solvers: readonly ChallengeSolver[],
    private readonly accounts: AccountRegistry,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly metrics: CertkeeperMetrics | undefined,
    private readonly rehearsal: DryRun,
    readonly events: ManagerEventEmitter = new ManagerEventEmitter(),
  ) {}

  /**
   * Make sure a fresh certificate exists for the identifiers; see EnsureOutcome for what can happen. What can be
   * known before ordering is checked before anything touches the network: invalid identifiers throw
   * InvalidIdentifierError, an identifier no configured solver can prove or an invalid contact (when the account is
   * still to be registered) throw PreflightError — no request at all is sent to the CA then.
   */
  async ensure(request: EnsureRequest, options: EnsureOptions = {}): Promise<EnsureOutcome> {
    const { signal, suspendWaitsLongerThanMs } = options;
    const { identifiers, csr, keyType } = await this.checkedRequest(request);
    // Registration may be shared with other callers: this caller stops waiting on its signal, the others go on.
    const { accountUrl } = await abortable(this.accounts.client(), signal, 'Loading the ACME account');
    const subject = {
      directoryUrl: this.options.directoryUrl,
      accountUrl,
      identifiers,
      keyType,
      ...(request.profile ? { profile: request.profile } : {}),
      ...(request.force ? { force: true } : {}),
      ...(request.renewBeforeMs ? { renewBeforeMs: request.renewBeforeMs } : {}),
      ...(request.reuseKey ? { reuseKey: true } : {}),
      ...(csr ? { csr: csr.csr } : {}),
      configFingerprint:
        request.configFingerprint ??
        issuanceFingerprint({
          directoryUrl: this.options.directoryUrl,
          keyType,
          ...(request.profile ? { profile: request.profile } : {}),
          // A solver answering more types (dns-account-01 turned on) proves differently: a failure backoff
          // recorded before does not hold it back. Single-type solvers keep their earlier fingerprint.
          solvers: this.solvers.map((solver) =>
            solver.types && solver.types.length > 1
              ? { type: solver.type, settings: { types: solver.types.join(',') } }
              : { type: solver.type },
          ),
        }),
    };
    const outcome = await this.coordinator.ensure(
      subject,
      (context) => this.runner.issue(context, suspendWaitsLongerThanMs),
      signal,
    );
    this.report(outcome, request.renewBeforeMs);
    // Budgets change only when the CA was asked something; a fresh answer leaves them as they were.
    if (this.metrics && outcome.type !== 'fresh' && !outcome.joined) {
      this.metrics.observeBudgets((await this.coordinator.ledger.check(subject)).budgets);
    }
    return outcome;
  }

  /**
   * Rehearse ordering a certificate for these identifiers without keeping anything (`certkeeper issue --dry-run`):
   * the same local checks as `ensure` first, then an order that is abandoned — after the readiness check (scope
   * `readiness`, for a production CA), or after the certificate was issued and verified (scope `certificate`, only
   * for a staging CA). No freshness gate, lease, backoff or ledger: nothing about the stored certificate changes.
   *
   * @throws the order's failure (see `ensure`'s errors); progress goes out as `progress` events.
   */
  async dryRun(
    request: Pick<EnsureRequest, 'identifiers' | 'profile' | 'keyType' | 'csr'>,
    scope: DryRunScope,
    signal?: AbortSignal,
  ): Promise<DryRunResult> {
    const { identifiers, csr, keyType } = await this.checkedRequest(request);
    return this.rehearsal.run(
      {
        identifiers,
        keyType,
        ...(request.profile ? { profile: request.profile } : {}),
        ...(csr ? { csr: csr.csr.der } : {}),
      },
      scope,
      signal,
    );
  }

  /**
   * What `ensure` and `dryRun` check before any request, the account's registration included: the identifiers, an
   * order the CA is known to refuse (its profile's rules), a solver for each, the CSR when one is given — and the
   * key type the order uses (the CSR's, else the request's, else the default).
   */
  private async checkedRequest(request: Pick<EnsureRequest, 'identifiers' | 'profile' | 'keyType' | 'csr'>) {
    const identifiers = parseIdentifiers(request.identifiers).map(({ type, value }) => ({ type, value }));
    assertKnownCaProfileRules({
      directoryUrl: this.options.directoryUrl,
      identifiers,
      profile: request.profile,
    });
    await this.preflight(identifiers);
    const csr = request.csr === undefined ? undefined : await requestCsr(request, identifiers);
    const keyType = csr?.keyType ?? request.keyType ?? this.options.keyType ?? 'ec256';
    return { identifiers, csr, keyType };
  }

  /** The account was found registered: `preflight` no longer checks the contacts. */
  private accountRegistered = false;

  /**
   * The checks of core's `preflight` for one order: every identifier has a solver that can prove it, and — while no
   * account is registered yet, since only registration sends them — the configured contacts are valid.
   */
  private async preflight(identifiers: readonly Identifier[]): Promise<void> {
    const contact = this.options.account?.contact;
    // Once registered, the account's record is not read again for this: it is not per certificate (registering
    // checks the contacts itself in any case).
    this.accountRegistered ||=
      contact === undefined ||
      Boolean(
        (await this.store.getAccount(this.options.directoryUrl, this.options.account?.name ?? 'default'))
          ?.accountUrl,
      );
    preflight({ identifiers, solvers: this.solvers, ...(this.accountRegistered ? {} : { contact }) });
  }

  /** Keep these certificates fresh in `run()` (the CLI's configured certificates). */
  manage(requests: readonly EnsureRequest[]): void {
    for (const request of requests)
      this.managed.set(
        JSON.stringify(
          parseIdentifiers(request.identifiers)
            .map((i) => i.value)
            .sort(),
        ),
        request,
      );
  }

  /**
   * One sweep: refresh ARI windows that are due (one renewalInfo request each, at most twice a day), then ensure
   * every managed certificate and every stored certificate of this CA and account that is due before the next
   * sweep (`Store.listDueCertificates`). Fresh ones cost nothing.
   */
  async renewDue(signal?: AbortSignal): Promise<SweepResult> {
    const { client, accountUrl } = await this.accounts.client();
    const ari = new AriService({ client, store: this.store, clock: this.clock });
    const outcomes: EnsureOutcome[] = [];
    const seen = new Set<string>();
    let next: number | undefined;
    const track = (outcome: EnsureOutcome) => {
      outcomes.push(outcome);
      const at =
        outcome.type === 'fresh'
          ? outcome.nextCheckAt
          : outcome.type === 'deferred'
            ? outcome.until
            : outcome.type === 'failed'
              ? outcome.retryAt
              : undefined;
      if (at) next = Math.min(next ?? Number.POSITIVE_INFINITY, at.getTime());
    };
    for (const request of this.managed.values()) {
      if (signal?.aborted) break;
      // Managed certificates follow their ARI windows too: refresh the stored one's window before deciding.
      const stored = await this.store.getCertificate(this.keyOf(request, accountUrl));
      if (stored) await this.refreshRenewalInfo(ari, stored);
      const outcome = await this.ensureInSweep(request, signal);
      if ('certificate' in outcome) seen.add(outcome.certificate.key);
      track(outcome);
    }
    // Only the stored certificates that may need work before the next sweep at the latest: the store answers from
    // its index, so a sweep over 100 000 fresh certificates reads none of them.
    const by = new Date(this.clock.now().getTime() + this.sweepIntervalCapMs()).toISOString();
    for await (const record of dueCertificates(this.store, { by })) {
      if (signal?.aborted) break;
      // A certificate of the caller's own CSR is renewed by whoever holds the CSR (a managed request gives it).
      if (
        seen.has(record.key) ||
        record.externalKey ||
        record.directoryUrl !== this.options.directoryUrl ||
        record.accountUrl !== accountUrl
      )
        continue;
      const refreshed = await this.refreshRenewalInfo(ari, record);
      track(
        await this.ensureInSweep(
          {
            identifiers: refreshed.identifiers,
            keyType: refreshed.keyType,
            ...(refreshed.profile ? { profile: refreshed.profile } : {}),
          },
          signal,
        ),
      );
    }
    return {
      checked: outcomes.length,
      outcomes,
      nextCheckAt: next === undefined ? undefined : new Date(next),
    };
  }

  /**
   * The stored certificate for a request, from the store alone: no request to the CA, no account registration
   * (undefined while no account is stored). What an on-demand TLS server loads once on a cache miss.
   */
  async storedCertificate(
    request: Pick<EnsureRequest, 'identifiers' | 'profile'>,
  ): Promise<CertificateRecord | undefined> {
    const account = await this.store.getAccount(
      this.options.directoryUrl,
      this.options.account?.name ?? 'default',
    );
    return account ? this.store.getCertificate(this.keyOf(request, account.accountUrl)) : undefined;
  }

  /**
   * `ensure` for one certificate, as a sweep does it: the stored certificate's ARI window is refreshed first when
   * it is due (one renewalInfo request, at most twice a day), so a window the CA moved forward is followed.
   */
  async renew(request: EnsureRequest, options: EnsureOptions = {}): Promise<EnsureOutcome> {
    const { client, accountUrl } = await abortable(
      this.accounts.client(),
      options.signal,
      'Loading the ACME account',
    );
    const stored = await this.store.getCertificate(this.keyOf(request, accountUrl));
    if (stored)
      await this.refreshRenewalInfo(new AriService({ client, store: this.store, clock: this.clock }), stored);
    return this.ensure(request, options);
  }

  /** The store key of a request's certificate under this manager's CA and the account. */
  private keyOf(request: Pick<EnsureRequest, 'identifiers' | 'profile'>, accountUrl: string): string {
    return certificateKey({
      directoryUrl: this.options.directoryUrl,
      accountUrl,
      identifiers: parseIdentifiers(request.identifiers).map(({ type, value }) => ({ type, value })),
      ...(request.profile ? { profile: request.profile } : {}),
    });
  }

  /**
   * `ensure` for one certificate of a sweep: a refusal that concerns only this certificate (a preflight finding, an
   * invalid identifier) becomes its failed outcome — local, no backoff — and the sweep goes on with the others.
   */
  private async ensureInSweep(request: EnsureRequest, signal?: AbortSignal): Promise<EnsureOutcome> {
    try {
      return await this.ensure(request, signal ? { signal } : {});
    } catch (error) {
      const code = CertkeeperError.isInstance(error) ? error.code : undefined;
      if (code !== ErrorCodes.PREFLIGHT_FAILED && code !== ErrorCodes.INVALID_IDENTIFIER) throw error;
      const outcome = unrecordedFailure(error, this.clock.now(), this.options.backoff);
      this.report(outcome);
      return outcome;
    }
  }

  /** Refresh a certificate's ARI window when due; on failure keep the stored data (the lifetime rule still applies). */
  private refreshRenewalInfo(ari: AriService, record: CertificateRecord): Promise<CertificateRecord> {
    return ari.refresh(record).catch((error: unknown) => {
      this.logger.warn(
        { key: record.key, error: String(error) },
        'renewalInfo refresh failed; using the lifetime rule',
      );
      return record;
    });
  }

  /** Sweep, sleep until the next certificate needs attention (at most `maxSweepIntervalMs`), repeat until aborted. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let nextCheckAt: Date | undefined;
      try {
        ({ nextCheckAt } = await this.renewDue(signal));
      } catch (error) {
        if (signal.aborted) break;
        this.logger.error({ error: String(error) }, 'renewal sweep failed');
      }
      const cap = this.sweepIntervalCapMs();
      const wait = Math.min(
        cap,
        Math.max(1000, (nextCheckAt?.getTime() ?? Number.POSITIVE_INFINITY) - this.clock.now().getTime()),
      );
      await sleep(wait, signal).catch(() => undefined);
    }
  }

  /** The longest `run` sleeps between sweeps. */
  private sweepIntervalCapMs(): number {
    return this.options.maxSweepIntervalMs ?? 3_600_000;
  }

  async close(): Promise<void> {
    await this.accounts.close();
  }

  private report(outcome: EnsureOutcome, renewBeforeMs?: number): void {
    this.metrics?.outcomes.inc({ outcome: outcome.type });
    if ('certificate' in outcome)
      this.metrics?.observeCertificate(
        outcome.certificate,
        renewalTime(outcome.certificate, renewBeforeMs).at,
        this.clock.now(),
      );
    const level = outcome.type === 'failed' ? 'warn' : 'info';
    this.logger[level]({ outcome: outcome.type, joined: outcome.joined }, outcome.reason);
    if (outcome.joined) return;
    if (outcome.type === 'issued') this.events.emit('issued', outcome);
    if (outcome.type === 'renewed') this.events.emit('renewed', outcome);
    if (outcome.type === 'failed') this.events.emit('failed', outcome);
    if (outcome.type === 'deferred') this.events.emit('deferred', outcome);
  }
}

/**
 * A request's CSR, parsed and checked against it before anything is sent: its signature, its names (exactly the
 * identifiers), its key type (the one asked for, if any), and no `reuseKey` beside it.
 *
 * @throws CertkeeperError INVALID_CSR or INVALID_OPTION.
 */
async function requestCsr(
  request: EnsureRequest,
  identifiers: readonly Identifier[],
): Promise<{ csr: RequestCsr; keyType: CertificateKeyType }> {
  const parsed = await parseCsr(request.csr!);
  assertCsrMatchesIdentifiers(parsed, identifiers);
  if (request.reuseKey || (request.keyType && request.keyType !== parsed.publicKeyType))
    throw new CertkeeperError(
      ErrorCodes.INVALID_OPTION,
      request.reuseKey
        ? 'reuseKey was asked for with a CSR: the CSR names the key, which certkeeper does not hold; nothing was ordered.'
        : `The CSR's key is ${parsed.publicKeyType}, but ${request.keyType} was asked for; nothing was ordered.`,
      { hint: 'give the CSR alone: its key is the certificate’s key.' },
    );
  return {
    csr: { der: Buffer.from(parsed.der).toString('base64url'), spkiSha256: parsed.spkiSha256 },
    keyType: parsed.publicKeyType,
  };
}
