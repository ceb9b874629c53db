import {
  CertkeeperError,
  type ChallengeSolver,
  type Clock,
  checkpointNeeded,
  ErrorCodes,
  isFinished,
  type Logger,
  type OrderState,
  type PollPolicy,
  prepareOrder,
  processSecretRedactor,
  runOrder,
  type SecretRedactor,
  type StepResult,
} from '@certkeeper/core';
import { finishedOrderMaterial, type IssueContext, type IssuedMaterial } from '@certkeeper/policy';
import type { Store } from '@certkeeper/store';
import type { AccountRegistry } from './account-registry.js';
import type { OrderProgress } from './events.js';
import type { CertkeeperMetrics } from './metrics.js';
import { prepareSolvers, releaseSolvers } from './solver-preparation.js';

/**
 * Runs one order for the coordinator, persisting the state after every step under the certificate's key: a
 * worker that dies mid-order leaves a state the next worker resumes — same order, no second newOrder.
 *
 * Every write is a compare-and-set on the revision this runner read or wrote last: a STORE_CONFLICT means another
 * worker moved the order on, and the run stops there without overwriting it. The finished order, which holds the
 * certificate and its key, is left stored: the coordinator removes it once the certificate is stored.
 */
export class OrderRunner {
  constructor(
    private readonly accounts: AccountRegistry,
    private readonly store: Store,
    private readonly solvers: readonly ChallengeSolver[],
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly metrics: CertkeeperMetrics | undefined,
    private readonly polling: Partial<PollPolicy> | undefined,
    private readonly defaultKeyType: IssuedMaterial['keyType'],
    private readonly onProgress?: (progress: OrderProgress) => void,
    /** Scrubs a failed order's error text before the state is stored or reported. */
    private readonly redactor: SecretRedactor = processSecretRedactor(),
  ) {}

  async issue(context: IssueContext, suspendWaitsLongerThanMs?: number): Promise<IssuedMaterial> {
    const { client, accountUrl } = await this.accounts.client();
    const { request, key } = context;
    const keyType = request.keyType ?? this.defaultKeyType;
    const stored = await this.store.getOrder(key);
    // The coordinator commits finished orders before it asks for a new one; should one still be here, it is an
    // issued certificate: hand it over, order nothing.
    const finished =
      stored?.state.accountUrl === accountUrl ? finishedOrderMaterial(stored.state) : undefined;
    if (finished && stored) {
      return { ...finished, order: { revision: stored.revision, createdAt: stored.state.createdAt } };
    }
    let revision = stored?.revision ?? 0;
    let state =
      stored && this.resumable(stored.state, accountUrl, context.replaces, request.csr?.der)
        ? stored.state
        : undefined;
    if (stored && !state) {
      await this.store.deleteOrder(key, stored.revision);
      revision = 0;
    }
    if (state) {
      this.metrics?.orders.inc({ result: 'resumed' });
      this.logger.info({ key, orderUrl: state.orderUrl, phase: state.phase }, 'resuming a stored order');
    } else {
      const reused = request.reuseKey ? await this.reusableKey(key, keyType) : undefined;
      state = await prepareOrder({
        directoryUrl: request.directoryUrl,
        accountUrl,
        identifiers: request.identifiers,
        // The caller's CSR: finalize sends exactly it, and the state holds no key.
        ...(request.csr ? { csr: Buffer.from(request.csr.der, 'base64url') } : { keyType }),
        ...(reused ? { certificateKeyPem: reused } : {}),
        ...(request.profile ? { profile: request.profile } : {}),
        ...(context.replaces ? { replaces: context.replaces } : {}),
        clock: this.clock,
      });
      this.metrics?.orders.inc({ result: 'created' });
    }
    let created = state.orderUrl !== undefined;
    // The state as the store holds it: the resumed one (never finished), then each we write.
    let durable: OrderState | undefined = stored && state === stored.state ? stored.state : undefined;
    // The newest state of the run, written or not.
    let latest: OrderState | undefined;
    const persist = async (next: OrderState, then?: StepResult['next']) => {
      latest = next;
      // Only what a resumed run could not find again is written before the next step (every step's write was a
      // lock, a compare-and-set and two fsyncs); a wait the caller hands back (suspends) is always written.
      const suspends =
        then?.type === 'wait' &&
        suspendWaitsLongerThanMs !== undefined &&
        then.until.getTime() - this.clock.now().getTime() > suspendWaitsLongerThanMs;
      if (!suspends && !checkpointNeeded(durable, next, then, this.clock.now())) return;
      await write(next);
    };
    const write = async (next: OrderState) => {
      // A failed order's error text is scrubbed of secrets before it is stored.
      const state = next.failure ? { ...next, failure: this.redactor.redactValue(next.failure) } : next;
      const record = await this.store.putOrder(
        { key, state, updatedAt: this.clock.now().toISOString() },
        revision,
      );
      revision = record.revision;
      durable = next;
      if (!created && next.orderUrl) {
        created = true;
        await context.onOrderCreated();
      }
    };
    // Under the certificate's lease, after the coordinator's freshness re-check: only the run that orders takes the
    // solvers' resources (the standalone responder's port), so a herd waiting on one order binds nothing.
    const releases = await prepareSolvers(this.solvers, request.identifiers, context.signal);
    try {
      const result = await runOrder(
        state,
        {
          client,
          solvers: this.solvers,
          clock: this.clock,
          logger: this.logger,
          ...(this.polling ? { polling: this.polling } : {}),
          ...(context.firstPolls ? { firstPolls: context.firstPolls } : {}),
          ...(context.signal ? { signal: context.signal } : {}),
        },
        {
          onState: persist,
          // The coordinator holds the certificate's lease: every earlier worker lost it, none is mid-newOrder.
          exclusive: true,
          ...(suspendWaitsLongerThanMs !== undefined ? { suspendWaitsLongerThanMs } : {}),
          onStep: ({ state: current, next }) =>
            this.onProgress?.({
              ...progressOf(key, current),
              next: next.type,
              ...(next.type === 'wait' ? { detail: next.reason, until: next.until } : {}),
              ...(next.type === 'failed' ? { detail: this.redactor.redact(next.failure.message) } : {}),
            }),
          onRetry: ({ state: current, reason, attempt, attempts, at }) =>
            this.onProgress?.({
              ...progressOf(key, current),
              next: 'wait',
              detail: this.redactor.redact(reason),
              until: at,
              retry: { attempt, attempts },
            }),
        },
      );
      return {
        certificatePem: result.certificate.pem,
        ...(result.state.certificateKeyPem ? { keyPem: result.state.certificateKeyPem } : {}),
        keyType,
        order: { revision, createdAt: result.state.createdAt },
        ...(result.state.pollTiming ? { pollTiming: result.state.pollTiming } : {}),
      };
    } catch (error) {
      // Stopped (Ctrl-C, SIGTERM, a shutdown): write down how far the order got, so `status` says so and the next
      // run resumes there rather than at the last checkpoint. Best effort: after a conflict it is another's.
      if (isAborted(error) && latest && latest !== durable && !isFinished(latest)) {
        await write(latest).catch(() => undefined);
      }
      // A failed order is finished and not resumable: remove it, as we wrote it. An aborted or suspended one stays
      // stored for the next worker; after a conflict the order is another worker's, never ours to touch.
      if (durable && isFinished(durable) && !isConflict(error)) {
        await this.store.deleteOrder(key, revision).catch((cause: unknown) => {
          if (!isConflict(cause)) throw cause;
        });
      }
      throw error;
    } finally {
      await releaseSolvers(releases);
    }
  }

  /**
   * The stored certificate's key, for a renewal that keeps it: only of the asked type, and never a revoked
   * certificate's (a revocation may mean the key is compromised). Otherwise a new key is generated.
   */
  private async reusableKey(key: string, keyType: IssuedMaterial['keyType']): Promise<string | undefined> {
    const current = await this.store.getCertificate(key);
    if (!current?.keyPem || current.revokedAt || current.keyType !== keyType) return undefined;
    return current.keyPem;
  }

  /** An unfinished order made for the same account and the same `replaces`, with its key — or with this CSR. */
  private resumable(
    state: OrderState,
    accountUrl: string,
    replaces: string | undefined,
    csr: string | undefined,
  ): boolean {
    return (
      !isFinished(state) &&
      state.accountUrl === accountUrl &&
      state.replaces === replaces &&
      (csr === undefined ? state.certificateKeyPem !== undefined : state.csr === csr)
    );
  }
}

/** What every progress event of an order carries: whose it is, where it is, which challenge types it uses. */
function progressOf(
  key: string,
  state: OrderState,
): Pick<OrderProgress, 'key' | 'identifiers' | 'phase' | 'challenges'> {
  const challenges = [
    ...new Set(state.authorizations.flatMap((authorization) => authorization.challenge?.type ?? [])),
  ];
  return {
    key,
    identifiers: state.identifiers.map((identifier) => identifier.value),
    phase: state.phase,
    ...(challenges.length > 0 ? { challenges } : {}),
  };
}

function isAborted(error: unknown): boolean {
  return CertkeeperError.isInstance(error) && error.code === ErrorCodes.ABORTED;
}

function isConflict(error: unknown): boolean {
  return CertkeeperError.isInstance(error) && error.code === ErrorCodes.STORE_CONFLICT;
}
