import { EventEmitter } from 'node:events';
import type { EnsureOutcome, LeaseWait } from '@certkeeper/policy';

/**
 * One step of an order, for progress displays — or, with phase `lease`, a wait for the certificate's lease that
 * another process holds (before any order step): `holder` says who, `until` when its lease runs out unless renewed,
 * and `detail` says both in one line.
 */
export interface OrderProgress {
  readonly key: string;
  readonly identifiers: readonly string[];
  readonly phase: string;
  /** `wait` with its reason (which nameservers lag, "the CA is validating"), or continue/done/failed. */
  readonly next: 'continue' | 'wait' | 'done' | 'failed';
  readonly detail?: string;
  readonly until?: Date;
  /** Phase `lease`: the process holding the certificate's lease, as a person reads it (`describeLeaseHolder`). */
  readonly holder?: string;
  /** Phase `lease`, next `continue`: the lease was taken over from `holder`, which is `dead` or whose lease `expired`. */
  readonly takenOver?: 'dead' | 'expired';
  /**
   * The challenge types the order's authorizations use, once they are known (after fetch-authorizations): a
   * display shows the "propagation" step only for the DNS ones.
   */
  readonly challenges?: readonly string[];
  /** Next `wait`: a step failed with a retryable error (a 5xx, a timeout) and runs again at `until`. */
  readonly retry?: { readonly attempt: number; readonly attempts: number };
}

/**
 * The `progress` event for a wait on a lease another process holds — or, with `takenOver` (and next `continue`),
 * for taking over the lease of a holder that no longer runs or whose lease ran out.
 */
export function leaseWaitProgress(wait: LeaseWait): OrderProgress {
  const base = {
    key: wait.key,
    identifiers: wait.identifiers.map((identifier) => identifier.value),
    phase: 'lease',
    until: wait.until,
    holder: wait.holder,
  };
  if (wait.takenOver)
    return {
      ...base,
      next: 'continue',
      takenOver: wait.takenOver,
      detail: `took over from ${wait.holder}, ${wait.takenOver === 'dead' ? 'which no longer runs' : `whose lease ran out at ${wait.until.toISOString()}`}`,
    };
  return { ...base, next: 'wait', detail: `held by ${wait.holder} until ${wait.until.toISOString()}` };
}

export interface ManagerEvents {
  /** Each order step, and each change of who holds a lease this manager waits for (phase `lease`). */
  progress: [progress: OrderProgress];
  /** A certificate was issued for the first time, or renewed: deploy it (reload a web server...). */
  issued: [outcome: Extract<EnsureOutcome, { type: 'issued' | 'renewed' }>];
  renewed: [outcome: Extract<EnsureOutcome, { type: 'issued' | 'renewed' }>];
  failed: [outcome: Extract<EnsureOutcome, { type: 'failed' }>];
  deferred: [outcome: Extract<EnsureOutcome, { type: 'deferred' }>];
}

/** Typed events of a CertificateManager: hooks for deploy steps and metrics. */
export class ManagerEventEmitter extends EventEmitter<ManagerEvents> {}
