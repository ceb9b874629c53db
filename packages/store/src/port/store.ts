import type {
  AccountRecord,
  BackoffRecord,
  CertificateRecord,
  Lease,
  LedgerEvent,
  LedgerQuery,
  OrderRecord,
} from './records.js';

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
 */
export interface Store {
  getAccount(directoryUrl: string, name: string): Promise<AccountRecord | undefined>;
  putAccount(record: AccountRecord): Promise<void>;

  getCertificate(key: string): Promise<CertificateRecord | undefined>;
  /** Replace the record under `record.key` atomically. */
  putCertificate(record: CertificateRecord): Promise<void>;
  /** Page through every certificate (for renewal sweeps), in key order, `limit` at a time after `afterKey`. */
  listCertificates(options?: { afterKey?: string; limit?: number }): Promise<CertificateRecord[]>;

  getOrder(key: string): Promise<OrderRecord | undefined>;
  putOrder(record: OrderRecord): Promise<void>;
  deleteOrder(key: string): Promise<void>;

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
   */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<Lease | undefined>;
  /** Give the lease up; a no-op when it has expired or passed to another holder (the token says which). */
  releaseLease(lease: Lease): Promise<void>;

  /** Release resources (connections, file handles). */
  close(): Promise<void>;
}

export const StoreToken = Symbol.for('certkeeper.Store');
