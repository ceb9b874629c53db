import type { DueQuery } from './due.js';
import type {
  AccountRecord,
  BackoffRecord,
  CertificateRecord,
  Lease,
  LedgerEvent,
  LedgerQuery,
  ManagedCertificateRecord,
  OrderRecord,
} from './records.js';
import type { StoreConflictError } from './store-conflict-error.js';

/**
 * Where certkeeper remembers everything that must survive a restart. One conformance suite
 * (`@certkeeper/testkit/store-conformance`) runs against every backend.
 *
 * Contract for every implementation:
 * - Safe for concurrent use by many callers in one process, and — for backends that say so — by many processes
 *   and machines at once.
 * - A write that resolved is durable: it survives a crash (kill -9) of the process right after.
 * - A write is atomic: a reader sees the old record or the new one, never a mix (a certificate and its key are
 *   one record and change together).
 * - `get*` of something absent resolves `undefined`; it never throws for "not found".
 * - Records are returned as plain data; mutating them does not change the store.
 * - Secrets (`keyPem`) are stored as given and never logged.
 * - `deleteX` of something absent resolves; deletes are idempotent.
 */
export interface Store {
  getAccount(directoryUrl: string, name: string): Promise<AccountRecord | undefined>;
  putAccount(record: AccountRecord): Promise<void>;

  getCertificate(key: string): Promise<CertificateRecord | undefined>;
  /** Replace the record under `record.key` atomically. */
  putCertificate(record: CertificateRecord): Promise<void>;
  /** Page through every certificate (for renewal sweeps), in key order, `limit` at a time after `afterKey`. */
  listCertificates(options?: { afterKey?: string; limit?: number }): Promise<CertificateRecord[]>;
  /**
   * Page through the certificates due for `query` ({@link isDue}: revoked, past their ARI moment or renewalInfo
   * refresh, past half their lifetime, or expiring within renewBefore), in key order as listCertificates. The
   * renewal sweep's query: it reads the due certificates, not every one.
   */
  listDueCertificates(query: DueQuery): Promise<CertificateRecord[]>;
  /** Remove the certificate (and its published files); absent is fine. */
  deleteCertificate(key: string): Promise<void>;

  getOrder(key: string): Promise<OrderRecord | undefined>;
  /**
   * Compare-and-set: write the order under record.key only if the stored revision equals expectedRevision (0:
   * none stored). Resolves the record as stored, revision = expectedRevision + 1. Rejects with a CertkeeperError
   * of code STORE_CONFLICT ({@link StoreConflictError}: not retryable as is: re-read, then decide) naming the
   * key, the expected and the found revision, when another writer got there first. Two workers racing one
   * order: exactly one write wins.
   *
   * A deleted order starts again at revision 1: a writer holding a revision read before the delete could match
   * a new order's revision. Callers that delete and recreate orders under one key fence with a lease as well.
   */
  putOrder(record: Omit<OrderRecord, 'revision'>, expectedRevision: number): Promise<OrderRecord>;
  /** Remove the order; with expectedRevision only if it is still that revision (else STORE_CONFLICT). Absent is fine. */
  deleteOrder(key: string, expectedRevision?: number): Promise<void>;

  appendLedger(event: LedgerEvent): Promise<void>;
  /** Events at or after `since`, oldest first, matching every given filter. */
  queryLedger(query: LedgerQuery): Promise<LedgerEvent[]>;

  getBackoff(key: string): Promise<BackoffRecord | undefined>;
  putBackoff(record: BackoffRecord): Promise<void>;
  deleteBackoff(key: string): Promise<void>;

  /**
   * Take the lease on `name` for `ttlMs` if it is free or expired (or already held by `holder`, which renews it).
   * Resolves the lease, with a token greater than any token ever issued for `name`, or `undefined` when another
   * holder has it. Callers MUST re-check whether the work is still needed after taking a lease ("lock, then
   * re-check": another holder may have just finished it).
   *
   * A backend may take over a lease whose holder it can prove dead (token + 1, as after expiry): FileStore and
   * PostgresStore do for holder ids made by `leaseHolderId` on this host, this boot and this pid namespace
   * whose process is gone or whose pid was reused. Any other holder keeps its lease until it expires, so
   * liveness across hosts comes from short leases renewed often; expiry is measured by one clock (the
   * machine's, or the database's), never compared across machines.
   */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<Lease | undefined>;
  /** Give the lease up; a no-op when it has expired or passed to another holder (the token says which). */
  releaseLease(lease: Lease): Promise<void>;
  /** The live lease on name (holder and expiry), or undefined: for messages saying who holds a certificate and until when. */
  getLease(name: string): Promise<Lease | undefined>;

  getManaged(key: string): Promise<ManagedCertificateRecord | undefined>;
  /** Replace the record under `record.key` atomically (last writer wins). */
  putManaged(record: ManagedCertificateRecord): Promise<void>;
  /** In key order, `limit` at a time after `afterKey` (as listCertificates). */
  listManaged(options?: { afterKey?: string; limit?: number }): Promise<ManagedCertificateRecord[]>;
  deleteManaged(key: string): Promise<void>;

  /** Release resources (connections, file handles). */
  close(): Promise<void>;
}

export const StoreToken = Symbol.for('certkeeper.Store');
