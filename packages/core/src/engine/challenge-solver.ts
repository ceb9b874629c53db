import type { ErrorCode } from '../errors/codes.js';
import type { Identifier } from '../identifiers/identifier.js';

/**
 * `dns-account-01` is draft-ietf-acme-dns-account-label: dns-01's TXT value at an account-scoped name
 * (`_<account label>._acme-challenge.<domain>`), so several accounts can validate one name at once.
 * `dns-persist-01` is draft-ietf-acme-dns-persist (-00, as Pebble 2.10.0 checks it): a standing TXT record at
 * `_validation-persist.<domain>` naming the CA and the account; answering it writes nothing.
 */
export type ChallengeType = 'http-01' | 'dns-01' | 'dns-account-01' | 'dns-persist-01' | 'tls-alpn-01';

/** What a dns-persist-01 task needs to recognise the standing record that authorizes it. */
export interface DnsPersistTask {
  /** The challenge's `issuer-domain-names`: a record naming any of them counts (draft-ietf-acme-dns-persist-00 §3). */
  readonly issuerDomainNames: readonly string[];
  /** The order's account URL, which the record's `accounturi` must equal. */
  readonly accountUri: string;
}

/**
 * One challenge response the engine asks a solver to publish. Everything here is plain JSON, computed by the
 * engine from the authorization (RFC 8555 §8).
 */
export interface ChallengeTask {
  /** The identifier being validated (for a wildcard order: the base name, with `wildcard: true`). */
  readonly identifier: Identifier;
  readonly wildcard: boolean;
  readonly type: ChallengeType;
  /** Empty for dns-persist-01, whose challenge has no token. */
  readonly token: string;
  /** `token || '.' || base64url(JWK thumbprint)` (RFC 8555 §8.1); empty for dns-persist-01. */
  readonly keyAuthorization: string;
  /** For dns-01 and dns-account-01: base64url(SHA-256(keyAuthorization)), the TXT value (RFC 8555 §8.4). */
  readonly dnsTxtValue?: string;
  /**
   * For dns-account-01: the order's account label (`dnsAccountLabel(accountUrl)`); the record goes at
   * `_<label>._acme-challenge.<domain>`.
   */
  readonly dnsAccountLabel?: string;
  /** For dns-persist-01 (no token, no key authorization): what the standing record must say. */
  readonly dnsPersist?: DnsPersistTask;
  /** The authorization URL, unique per task: a stable key for receipts. */
  readonly authorizationUrl: string;
}

/**
 * What a solver published for one task, stored verbatim in the order state so that cleanup after a crash, in
 * another process, deletes exactly what was created. Must be JSON-serialisable.
 */
export interface PublicationReceipt {
  readonly authorizationUrl: string;
  readonly type: ChallengeType;
  /** Solver-specific JSON (zone, record name, value, file path...). */
  readonly data: unknown;
}

export type ReadinessResult =
  | { readonly ready: true }
  | {
      readonly ready: false;
      /** When to check again. The engine never sleeps inside a step; a driver or job queue waits. */
      readonly checkAgainAt: Date;
      /** Human-readable reason, e.g. which nameservers lag and what they returned. */
      readonly detail: string;
      /** Set when the solver gave up (deadline passed): the order is abandoned with this message. */
      readonly failed?: boolean;
      /** With `failed`: the error code the order fails with (default SOLVER_FAILED). */
      readonly code?: ErrorCode;
    };

export interface SolverContext {
  readonly signal?: AbortSignal;
}

/**
 * The challenge-solver port.
 *
 * Contract:
 * - `publish` receives **every** task of an order of this solver's type at once, so a solver can create all
 *   records before any propagation wait (seed 000: create every TXT record first, then answer challenges).
 *   It returns one receipt per task it published. It MUST be idempotent: publishing a task that is already
 *   published (a retry after a crash) must not duplicate or disturb anything.
 * - `checkReady` (optional) reports whether the published responses are visible to the CA yet. It MUST NOT
 *   sleep for propagation: it answers "ready" or "check again at T".
 * - `cleanup` removes exactly what the receipts describe and nothing else; missing items are not an error.
 *   It is called after success, after failure, and when an abandoned order is resumed from stored state.
 * - Implementations are safe for concurrent use by several orders.
 */
export interface ChallengeSolver {
  readonly type: ChallengeType;
  /**
   * Every challenge type this solver answers, most preferred first (default: `[type]`). The DNS solver answers
   * dns-account-01 and dns-01 with the same machinery: one publish call, one propagation wait and one cleanup
   * cover both, and the engine takes the first of these types the CA offers.
   */
  readonly types?: readonly ChallengeType[];
  /**
   * True when responses live only in this process's memory (a standalone http-01 responder): after a crash they
   * are gone although the state says they were published. The engine then publishes the unanswered tasks again,
   * idempotently, right before answering their challenges.
   */
  readonly volatile?: boolean;
  /**
   * Take what the solver needs for a whole order before the order is placed or resumed — the standalone
   * responder binds its port here — so a resource held by someone else fails before anything is ordered. A driver
   * calls it while holding the certificate's lease, after its freshness re-check: runs that coalesce on another
   * run's order never take the resource at all. Resolves with the function that gives it back when the order ends.
   * Drivers that never call it still work: such a solver takes the resource on its first `publish`.
   */
  prepare?(context: SolverContext): Promise<() => Promise<void>>;
  /** Whether this solver can answer for an identifier (for example http-01 cannot do wildcards). */
  supports?(identifier: Identifier, wildcard: boolean): boolean;
  publish(tasks: readonly ChallengeTask[], context: SolverContext): Promise<PublicationReceipt[]>;
  checkReady?(receipts: readonly PublicationReceipt[], context: SolverContext): Promise<ReadinessResult>;
  cleanup(receipts: readonly PublicationReceipt[], context: SolverContext): Promise<void>;
}
