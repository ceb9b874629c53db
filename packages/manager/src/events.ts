import { EventEmitter } from 'node:events';
import type { EnsureOutcome } from '@certkeeper/policy';

export interface ManagerEvents {
  /** A certificate was issued for the first time, or renewed: deploy it (reload a web server...). */
  issued: [outcome: Extract<EnsureOutcome, { type: 'issued' | 'renewed' }>];
  renewed: [outcome: Extract<EnsureOutcome, { type: 'issued' | 'renewed' }>];
  failed: [outcome: Extract<EnsureOutcome, { type: 'failed' }>];
  deferred: [outcome: Extract<EnsureOutcome, { type: 'deferred' }>];
}

/** Typed events of a CertificateManager: hooks for deploy steps and metrics. */
export class ManagerEventEmitter extends EventEmitter<ManagerEvents> {}
