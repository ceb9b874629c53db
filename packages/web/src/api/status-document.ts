/**
 * The JSON the daemon serves at `/api/status` (and the page reads): a documented contract for other dashboards
 * (docs/web-api.md), versioned by `schema`. It is self-contained — no import from the rest of certkeeper — so the
 * browser bundle compiles it alone; the server checks at compile time that the status report still maps onto it.
 * Nothing in it is a secret: no key, no token, no secret value; file paths, never file contents.
 */
export interface StatusDocument {
  /** Bumped when a field changes meaning or goes away; new optional fields keep the number. */
  readonly schema: 1;
  readonly generatedAt: string;
  readonly directoryUrl: string;
  readonly accountUrl?: string;
  readonly daemon: DaemonView;
  readonly certificates: readonly CertificateView[];
  /** One gauge per rate-limit rule of the CA's ledger, across every certificate. */
  readonly rateLimits: readonly RateLimitGauge[];
  /** Orders in flight: run by this daemon (live) or found in the store (another process, or interrupted). */
  readonly orders: readonly OrderView[];
  /** The most recent errors first (at most 50), each with what to do next when certkeeper knows. */
  readonly errors: readonly ErrorView[];
}

export type CertificateState = 'valid' | 'due' | 'expired' | 'revoked' | 'missing';

export interface CertificateView {
  /** Stable id of the certificate (CA + account + names + profile); absent for a configured one never issued. */
  readonly key?: string;
  readonly identifiers: readonly string[];
  /** The CA that ordered it (or would): the store can hold several CAs' certificates, and the page shows them all. */
  readonly directoryUrl?: string;
  /** The account that ordered it. */
  readonly accountUrl?: string;
  /** In the daemon's configuration, as opposed to only found in the store. */
  readonly configured: boolean;
  readonly state: CertificateState;
  readonly issuer?: string;
  readonly notBefore?: string;
  readonly notAfter?: string;
  readonly serialNumberHex?: string;
  readonly profile?: string;
  readonly keyType?: string;
  readonly renewal?: {
    readonly at: string;
    /** `ari-window`: the CA's renewal information (RFC 9773); `lifetime`: a fraction of the lifetime. */
    readonly basis: string;
    readonly explanation: string;
    readonly window?: { readonly start: string; readonly end: string };
  };
  readonly lastError?: { readonly reason: string; readonly failures: number; readonly at: string };
  /** Nothing is sent to the CA for it before `until`. */
  readonly backoff?: { readonly until: string; readonly reason: string; readonly rateLimited: boolean };
  /** The budget its next order has under each rule (descriptions are in `rateLimits`). */
  readonly budgets: readonly BudgetView[];
  readonly order?: { readonly phase: string; readonly updatedAt: string };
  readonly files?: readonly {
    readonly role: string;
    readonly directory: string;
    readonly files: readonly string[];
  }[];
  readonly deployment?: {
    readonly at: string;
    readonly ok: boolean;
    readonly error?: string;
    readonly attempts: number;
    readonly current: boolean;
  };
}

export interface BudgetView {
  readonly rule: string;
  readonly remaining: number;
  readonly limit: number;
  /** The next order of this set does not count against the rule (a renewal, at Let's Encrypt). */
  readonly exempt: boolean;
  readonly nextTokenAt: string;
}

export interface RateLimitGauge {
  readonly rule: string;
  readonly description: string;
  readonly limit: number;
  /** The least budget any certificate counted by the rule has left (`limit` when none is counted). */
  readonly remaining: number;
  /** The names of that certificate. */
  readonly tightest?: readonly string[];
  /** When the tightest budget gains its next order. */
  readonly nextTokenAt?: string;
  /** Certificates the rule counts (not exempt), and how many of them have nothing left. */
  readonly counted: number;
  readonly exhausted: number;
}

export interface DaemonView {
  readonly running: boolean;
  readonly startedAt: string;
  readonly lastSweepAt?: string;
  readonly nextSweepAt?: string;
  /** The last sweep failed as a whole (store or account unusable). */
  readonly lastSweepError?: string;
}

export type StepState = 'pending' | 'running' | 'done' | 'failed';

export interface OrderView {
  readonly key: string;
  readonly identifiers: readonly string[];
  /** `live`: this daemon is driving it now; `store`: a stored order (another process's, or interrupted). */
  readonly source: 'live' | 'store';
  /** The engine's phase (`await-readiness`, `await-validation`, …). */
  readonly phase: string;
  /** The steps a person follows (order, responses published, propagation, validation, finalize, stored). */
  readonly steps: readonly { readonly step: string; readonly state: StepState }[];
  /** What it waits for: a headline and one line per item (each lagging nameserver). */
  readonly wait?: { readonly headline: string; readonly items: readonly string[]; readonly until?: string };
  /** Phase `lease`: the process whose lease on the certificate this daemon waits for, as a person reads it. */
  readonly holder?: string;
  readonly startedAt?: string;
  readonly updatedAt: string;
  /** Set once it ended; finished orders stay listed for a few minutes. */
  readonly result?: 'issued' | 'renewed' | 'failed' | 'deferred' | 'stopped';
}

export interface ErrorView {
  readonly at: string;
  readonly identifiers: readonly string[];
  /** What failed: an order, a deployment (output files or hook), or a whole sweep. */
  readonly kind: 'order' | 'deploy' | 'sweep';
  readonly message: string;
  /** certkeeper's error code (docs/errors.md), when it has one. */
  readonly code?: string;
  /** What to do next (the "Next:" of the error). */
  readonly next?: string;
  readonly retryAt?: string;
}
