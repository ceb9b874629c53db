import {
  CertkeeperError,
  type ChallengeSolver,
  type Clock,
  ErrorCodes,
  isFinished,
  type Logger,
  type OrderState,
  type PollPolicy,
  prepareOrder,
  processSecretRedactor,
  runOrder,
  type SecretRedactor,
} from '@certkeeper/core';
import type { IssueContext, IssuedMaterial } from '@certkeeper/policy';
import type { OrderRecord, Store } from '@certkeeper/store';
import type { AccountRegistry } from './account-registry.js';
import type { OrderProgress } from './events.js';
import type { CertkeeperMetrics } from './metrics.js';

/**
 * Runs one order for the coordinator, persisting the state after every step under the certificate's key: a
 * worker that dies mid-order leaves a state the next worker resumes — same order, no second newOrder.
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
    // A worker died after the order finished but before the certificate was stored: the state holds it.
    if (
      stored?.state.phase === 'done' &&
      stored.state.certificate &&
      stored.state.certificateKeyPem &&
      stored.state.accountUrl === accountUrl
    ) {
      await this.store.deleteOrder(key, stored.revision);
      return {
        certificatePem: stored.state.certificate.pem,
        keyPem: stored.state.certificateKeyPem,
        keyType,
      };
    }
    let state = await this.resumable(stored, accountUrl, context.replaces);
    if (state) {
      this.metrics?.orders.inc({ result: 'resumed' });
      this.logger.info({ key, orderUrl: state.orderUrl, phase: state.phase }, 'resuming a stored order');
    } else {
      state = await prepareOrder({
        directoryUrl: request.directoryUrl,
        accountUrl,
        identifiers: request.identifiers,
        keyType,
        ...(request.profile ? { profile: request.profile } : {}),
        ...(context.replaces ? { replaces: context.replaces } : {}),
        clock: this.clock,
      });
      this.metrics?.orders.inc({ result: 'created' });
    }
    let created = state.orderUrl !== undefined;
    // Order writes are compare-and-set on the revision this runner last read or wrote: a second worker on the
    // same order makes one of them fail with STORE_CONFLICT instead of overwriting the other's progress.
    let revision = stored && state === stored.state ? stored.revision : 0;
    const persist = async (next: OrderState) => {
      const state = next.failure ? { ...next, failure: this.redactor.redactValue(next.failure) } : next;
      revision = (
        await this.store.putOrder({ key, state, updatedAt: this.clock.now().toISOString() }, revision)
      ).revision;
      if (!created && next.orderUrl) {
        created = true;
        await context.onOrderCreated();
      }
    };
    try {
      const result = await runOrder(
        state,
        {
          client,
          solvers: this.solvers,
          clock: this.clock,
          logger: this.logger,
          ...(this.polling ? { polling: this.polling } : {}),
          ...(context.signal ? { signal: context.signal } : {}),
        },
        {
          onState: persist,
          ...(suspendWaitsLongerThanMs !== undefined ? { suspendWaitsLongerThanMs } : {}),
          onStep: ({ state: current, next }) =>
            this.onProgress?.({
              key,
              identifiers: current.identifiers.map((identifier) => identifier.value),
              phase: current.phase,
              next: next.type,
              ...(next.type === 'wait' ? { detail: next.reason, until: next.until } : {}),
              ...(next.type === 'failed' ? { detail: this.redactor.redact(next.failure.message) } : {}),
            }),
        },
      );
      await this.store.deleteOrder(key, revision);
      return { certificatePem: result.certificate.pem, keyPem: result.state.certificateKeyPem!, keyType };
    } catch (error) {
      // Another writer owns the order now: leave it to that writer.
      if (CertkeeperError.isInstance(error) && error.code === ErrorCodes.STORE_CONFLICT) throw error;
      // A finished (failed) order is not resumable; an aborted one stays stored for the next worker.
      const stored = await this.store.getOrder(key);
      if (stored && isFinished(stored.state)) await this.store.deleteOrder(key, stored.revision);
      throw error;
    }
  }

  /** A stored, unfinished order for this key that was made for the same account and the same `replaces`. */
  private async resumable(
    stored: OrderRecord | undefined,
    accountUrl: string,
    replaces: string | undefined,
  ): Promise<OrderState | undefined> {
    if (!stored) return undefined;
    const { state } = stored;
    if (
      isFinished(state) ||
      state.accountUrl !== accountUrl ||
      state.replaces !== replaces ||
      !state.certificateKeyPem
    ) {
      await this.store.deleteOrder(stored.key, stored.revision);
      return undefined;
    }
    return state;
  }
}
