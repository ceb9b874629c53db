import type { Fault } from '@certkeeper/core';
import type { CertificateRecord } from '@certkeeper/store';
import type { DueReason } from './freshness/freshness-gate.js';

/**
 * What `ensure` did, with one human-readable `reason` a caller can log or show as is, and the structured fields
 * behind it. `joined` is true when the caller shared a flow another caller started (in this process or another).
 */
export type EnsureOutcome =
  | {
      readonly type: 'fresh';
      readonly certificate: CertificateRecord;
      readonly nextCheckAt: Date;
      readonly reason: string;
      readonly joined: boolean;
    }
  | {
      readonly type: 'issued' | 'renewed';
      readonly certificate: CertificateRecord;
      readonly due: DueReason;
      /** The ARI certificate id sent as `replaces`, when the renewal was an ARI renewal. */
      readonly replaced?: string;
      /** Set when the CA refused `replaces` and the order went without it. */
      readonly replacesRefused?: string;
      readonly reason: string;
      readonly joined: boolean;
    }
  | {
      readonly type: 'deferred';
      /** Nothing will be sent for this certificate before this time. */
      readonly until: Date;
      /** The limit that blocks: a local ledger rule, or the CA's answer (`ca:rateLimited`). */
      readonly limit?: string;
      readonly reason: string;
      readonly joined: boolean;
    }
  | {
      readonly type: 'failed';
      readonly error: unknown;
      /**
       * Whose fault it was (core's `faultOf`): only `ca` — the CA's answer — recorded a backoff. `local` (fix the
       * configuration; the CLI exits 2) and `network` (retry later; exit 1) recorded none, so the next run is not
       * deferred.
       */
      readonly fault: Fault;
      /**
       * For `ca`: the end of the recorded backoff (exponential with full jitter); nothing is sent for this set before
       * then unless forced. For `network` and `local`: only a pacing hint for in-process retries (a daemon, a job
       * queue) — nothing was recorded and another run may try at once.
       */
      readonly retryAt: Date;
      /** The CA's failures in a row, as recorded in the backoff; 0 when this failure recorded none. */
      readonly failures: number;
      readonly reason: string;
      readonly joined: boolean;
    };
