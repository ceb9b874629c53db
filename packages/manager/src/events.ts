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
}

/** The `progress` event for a wait on a lease another process holds. */
export function leaseWaitProgress(wait: LeaseWait): OrderProgress {
  return {
    key: wait.key,
    identifiers: wait.identifiers.map((identifier) => identifier.value),
    phase: 'lease',
    next: 'wait',
    detail: `held by ${wait.holder} until ${wait.until.toISOString()}`,
    until: wait.until,
    holder: wait.holder,
  };
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
