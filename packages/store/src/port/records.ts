import type { CertificateKeyType, Identifier, OrderState, PollObservations } from '@certkeeper/core';

/** An ACME account at one CA. `keyPem` is a secret. */
export interface AccountRecord {
  /** Caller-chosen name, unique per directory (default "default"). */
  readonly name: string;
  readonly directoryUrl: string;
  readonly accountUrl: string;
  readonly keyPem: string;
  /**
   * A key sent to the CA in a key change (RFC 8555 §7.3.5) that the CA has not confirmed yet: written before the
   * keyChange request, removed once the CA's answer is stored. While it is set, the CA holds either `keyPem` or
   * this one, and the next command adopts whichever the CA accepts. A secret. Absent in records from before
   * rollovers kept both keys.
   */
  readonly pendingKeyPem?: string;
  readonly contact: readonly string[];
  readonly createdAt: string;
}

/** ARI renewal information (RFC 9773) last fetched for a certificate. */
export interface RenewalInfo {
  readonly windowStart: string;
  readonly windowEnd: string;
  /** The moment chosen uniformly inside the window; kept so every check agrees on it. */
  readonly chosenAt: string;
  readonly explanationUrl?: string;
  /** When to fetch renewalInfo again (its Retry-After, at most 12 h away). */
  readonly refreshAt: string;
  readonly fetchedAt: string;
}

/**
 * A certificate and its key, as the freshness gate reads them. `key` identifies the managed certificate (the
 * coalescing key: account + sorted identifiers + profile); a renewal replaces the record under the same key.
 */
export interface CertificateRecord {
  readonly key: string;
  readonly directoryUrl: string;
  readonly accountUrl: string;
  readonly identifiers: readonly Identifier[];
  readonly profile?: string;
  readonly keyType: CertificateKeyType;
  readonly certificatePem: string;
  /** A secret. Absent when the key stays with the caller (ordered with the caller's own CSR: `externalKey`). */
  readonly keyPem?: string;
  /**
   * Ordered with the caller's own CSR: certkeeper never held the private key, and no `privkey.pem` is written. The
   * digest (SHA-256 of the key's DER SubjectPublicKeyInfo, hex) tells a renewal whether its CSR is for the same key.
   */
  readonly externalKey?: { readonly spkiSha256: string };
  readonly notBefore: string;
  readonly notAfter: string;
  readonly serialNumberHex: string;
  /** RFC 9773 certificate identifier, for `replaces` and renewalInfo. */
  readonly ariCertId?: string;
  readonly issuedAt: string;
  readonly revokedAt?: string;
  readonly renewalInfo?: RenewalInfo;
  /** Why the last renewal went without `replaces` (the CA refused it), so it is not tried again for this cert. */
  readonly replacesRefused?: string;
}

/**
 * An order in flight, under the coalescing key of the certificate it will produce. Written by compare-and-set
 * on `revision` (`Store.putOrder`), so two workers driving one order never overwrite each other's progress.
 */
export interface OrderRecord {
  readonly key: string;
  readonly state: OrderState;
  readonly updatedAt: string;
  /** Set by the store: 1 on the first write, +1 on every write after. */
  readonly revision: number;
}

/**
 * How a certificate is kept, recorded by the program that asked for it, so later runs renew and deploy it the
 * same way.
 */
export interface ManagedCertificateRecord {
  /** The certificate key (policy's certificateKey: CA + account + identifier set + profile). */
  readonly key: string;
  readonly directoryUrl: string;
  readonly identifiers: readonly Identifier[];
  /**
   * How to keep it, as the program that asked defines it (the CLI: solvers by reference, output directory,
   * deploy hook, key type, profile). Plain JSON; secret references only, never secret values.
   */
  readonly recipe: Readonly<Record<string, unknown>>;
  /** The last deployment of the stored certificate; a failed one is retried on the next run. */
  readonly deployment?: DeploymentRecord;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface DeploymentRecord {
  /** Serial of the certificate this deployment was for. */
  readonly serialNumberHex: string;
  readonly at: string;
  readonly ok: boolean;
  /** Why it failed (already redacted by the caller). */
  readonly error?: string;
  /** Consecutive failed attempts for this serial (0 when ok). */
  readonly attempts: number;
  /** What the certificate was to the deployment (a retry tells its hook the same). Absent in older records. */
  readonly event?: 'issued' | 'renewed';
}

export type LedgerEventKind = 'new-order' | 'certificate' | 'authorization-failure' | 'rate-limited';

/**
 * One event the rate-limit ledger counts. Kept for at least the longest window of any rule (7 days at Let's
 * Encrypt), so a rebuilt worker learns what its predecessor spent.
 */
export interface LedgerEvent {
  readonly kind: LedgerEventKind;
  readonly at: string;
  readonly directoryUrl: string;
  readonly accountUrl: string;
  /** `identifierSetKey` of the order's identifiers (case- and order-insensitive). */
  readonly identifierSet: string;
  readonly identifiers: readonly Identifier[];
  /** For `authorization-failure`: the identifier that failed. */
  readonly identifier?: Identifier;
  /** The CA exempts it from limits (an ARI renewal with `replaces`, at Let's Encrypt). */
  readonly exempt?: boolean;
  /** For `rate-limited`: which limit the CA named (if it did), and until when it refuses. */
  readonly limit?: string;
  readonly retryAfter?: string;
  readonly detail?: string;
  /**
   * For `certificate`: how long the CA took to validate and issue this order, as its polls saw it. The next orders
   * at the CA time their first polls from the recent ones (`learnFirstPolls`). Advice only: read back unchecked.
   */
  readonly pollTiming?: PollObservations;
}

export interface LedgerQuery {
  readonly directoryUrl: string;
  readonly since: string;
  readonly kinds?: readonly LedgerEventKind[];
  readonly accountUrl?: string;
  readonly identifierSet?: string;
  /**
   * Only the newest this many matching events (still oldest first): for a reader that needs the latest few, such
   * as the poll timing notes, whatever the volume the window holds.
   */
  readonly newest?: number;
}

/** When work for a key (an identifier set, or a whole account) may be tried again, and why. */
export interface BackoffRecord {
  readonly key: string;
  readonly retryAt: string;
  readonly reason: string;
  /** Consecutive failures so far (resets on success). */
  readonly failures: number;
  /** The CA's rate limit answer, when that is the cause. */
  readonly rateLimited?: boolean;
  /**
   * The fingerprint of the configuration the failure happened under (solvers, key type, profile, CA). A failure
   * backoff no longer defers a request made with another configuration; a rate-limit backoff always does.
   */
  readonly configFingerprint?: string;
  readonly updatedAt: string;
}

/** A lease held on a name. `token` is a fencing token: strictly increasing per name across all holders. */
export interface Lease {
  readonly name: string;
  readonly holder: string;
  readonly token: number;
  readonly expiresAt: string;
}
