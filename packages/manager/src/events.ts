import { EventEmitter } from 'node:events';
import type { EnsureOutcome } from '@certkeeper/policy';

/** One step of an order, for progress displays. */
export interface OrderProgress {
  readonly key: string;
  readonly identifiers: readonly string[];
  readonly phase: string;
  /** `wait` with its reason (which nameservers lag, "the CA is validating"), or continue/done/failed. */
  readonly next: 'continue' | 'wait' | 'done' | 'failed';
  readonly detail?: string;
  readonly until?: Date;
}

export interface ManagerEvents {
  progress: [progress: OrderProgress];
  /** A certificate was issued for the first time, or renewed: deploy it (reload a web server...). */
  issued: [outcome: Extract<EnsureOutcome, { type: 'issued' | 'renewed' }>];
  renewed: [outcome: Extract<EnsureOutcome, { type: 'issued' | 'renewed' }>];
  failed: [outcome: Extract<EnsureOutcome, { type: 'failed' }>];
  deferred: [outcome: Extract<EnsureOutcome, { type: 'deferred' }>];
}

/** Typed events of a CertificateManager: hooks for deploy steps and metrics. */
export class ManagerEventEmitter extends EventEmitter<ManagerEvents> {}
