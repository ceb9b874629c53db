import { randomUUID } from 'node:crypto';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type {
  AccountRecord,
  BackoffRecord,
  CertificateRecord,
  DueQuery,
  Lease,
  LedgerEvent,
  LedgerQuery,
  ManagedCertificateRecord,
  OrderRecord,
  Store,
} from '@certkeeper/store';
import {
  certificateCheckAt,
  checkExpectedRevision,
  dueExpiryBound,
  leaseHolderIsDead,
  StoreConflictError,
} from '@certkeeper/store';
import type pg from 'pg';
import { createPool } from './create-pool.js';
import { migrate } from './migrate.js';
import { type RetryPolicy, withRetry } from './pg-errors.js';
import { quoteSchema } from './schema-name.js';

const backend = 'PostgreSQL store';

export interface PostgresStoreOptions {
  /** A pool to use (and leave open on close), or ... */
  readonly pool?: pg.Pool;
  /** ... a connection string for a pool the store owns and closes. */
  readonly connectionString?: string;
  /** Schema holding the tables, created if absent. Default `certkeeper`. */
  readonly schema?: string;
  /** How long idempotent calls retry through a lost connection (a PostgreSQL restart). */
  readonly retry?: RetryPolicy;
  /** Told about connection errors the pool recovers from (for logs; no secrets in them). */
  readonly onConnectionError?: (error: Error) => void;
}

/**
 * The Store on PostgreSQL, for many workers on many machines. Contract as {@link Store}, and:
 *
 * - `open` applies versioned migrations in one transaction under an advisory lock, so any number of processes
 *   may start at once; a database with a newer schema than this code is refused.
 * - Writes are single statements (upserts), atomic and durable when they resolve.
 * - Every call is idempotent and retried through a lost connection until `retry.timeoutMs`; a ledger append
 *   carries its own id, so a retry after a lost acknowledgement does not count an event twice.
 * - Lease times come from the database clock, so machines with skewed clocks agree on expiry.
 * - Order writes are compare-and-set in one statement (an INSERT that does nothing when a row exists, or an
 *   UPDATE on the expected revision); a retry after a lost acknowledgement recognises its own write by id.
 */
export class PostgresStore implements Store {
  private closed = false;
  private checkTimesFilled = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly ownsPool: boolean,
    private readonly s: string,
    private readonly retry: RetryPolicy,
  ) {}

  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const schema = options.schema ?? 'certkeeper';
    const quoted = quoteSchema(schema);
    if (!options.pool && !options.connectionString) {
      throw new CertkeeperError(
        ErrorCodes.INVALID_OPTION,
        'PostgreSQL store: neither pool nor connectionString given.',
        {
          hint: 'pass connectionString (postgres://user@host:5432/db) or a pg Pool.',
        },
      );
    }
    const pool = options.pool ?? createPool(options.connectionString!, options.onConnectionError);
    if (options.pool && options.onConnectionError) pool.on('error', options.onConnectionError);
    const retry = options.retry ?? {};
    try {
      await migrate(pool, schema, quoted, retry);
    } catch (error) {
      if (!options.pool) await pool.end().catch(() => {});
      throw error;
    }
    return new PostgresStore(pool, !options.pool, quoted, retry);
  }

  async getAccount(directoryUrl: string, name: string) {
    return this.one<AccountRecord>(
      `getAccount ${name} at ${directoryUrl}`,
      `SELECT record FROM ${this.s}.accounts WHERE directory_url = $1 AND name = $2`,
      [directoryUrl, name],
    );
  }
  async putAccount(record: AccountRecord) {
    await this.query(
      `putAccount ${record.name} at ${record.directoryUrl}`,
      `INSERT INTO ${this.s}.accounts (directory_url, name, record) VALUES ($1, $2, $3)
       ON CONFLICT (directory_url, name) DO UPDATE SET record = excluded.record, updated_at = now()`,
      [record.directoryUrl, record.name, JSON.stringify(record)],
    );
  }

  async getCertificate(key: string) {
    return this.one<CertificateRecord>(
      `getCertificate "${key}"`,
      `SELECT record FROM ${this.s}.certificates WHERE key = $1`,
      [key],
    );
  }
  async putCertificate(record: CertificateRecord) {
    await this.query(
      `putCertificate "${record.key}"`,
      `INSERT INTO ${this.s}.certificates (key, record, not_after, check_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key) DO UPDATE SET record = excluded.record, not_after = excluded.not_after,
         check_at = excluded.check_at, updated_at = now()`,
      [record.key, JSON.stringify(record), record.notAfter, checkAtOf(record)],
    );
  }
  listCertificates(options: PageOptions = {}) {
    return this.page<CertificateRecord>('certificates', options);
  }
  async listDueCertificates(query: DueQuery): Promise<CertificateRecord[]> {
    await this.fillCheckTimes();
    const rows = await this.query<{ record: CertificateRecord }>(
      'listDueCertificates',
      `SELECT record FROM ${this.s}.certificates
       WHERE (check_at <= $1 OR not_after <= $2) AND ($3::text IS NULL OR key > $3)
       ORDER BY key LIMIT $4`,
      [new Date(query.by), new Date(dueExpiryBound(query)), query.afterKey ?? null, query.limit ?? 1000],
    );
    return rows.map((row) => row.record);
  }
  async deleteCertificate(key: string) {
    await this.query(`deleteCertificate "${key}"`, `DELETE FROM ${this.s}.certificates WHERE key = $1`, [
      key,
    ]);
  }

  async getOrder(key: string): Promise<OrderRecord | undefined> {
    const rows = await this.query<{ record: Omit<OrderRecord, 'revision'>; revision: string }>(
      `getOrder "${key}"`,
      `SELECT record, revision FROM ${this.s}.orders WHERE key = $1`,
      [key],
    );
    const row = rows[0];
    return row && { ...row.record, revision: Number(row.revision) };
  }
  async putOrder(record: Omit<OrderRecord, 'revision'>, expectedRevision: number): Promise<OrderRecord> {
    checkExpectedRevision(backend, record.key, expectedRevision);
    const operation = `putOrder "${record.key}" at revision ${expectedRevision}`;
    const writeId = randomUUID();
    // The revision lives in its own column; `undefined` drops one a caller passed from the stored JSON.
    const body = JSON.stringify({ ...record, revision: undefined });
    const written =
      expectedRevision === 0
        ? await this.query(
            operation,
            `INSERT INTO ${this.s}.orders (key, record, revision, write_id) VALUES ($1, $2, 1, $3)
             ON CONFLICT (key) DO NOTHING RETURNING revision`,
            [record.key, body, writeId],
          )
        : await this.query(
            operation,
            `UPDATE ${this.s}.orders SET record = $2, revision = revision + 1, write_id = $3, updated_at = now()
             WHERE key = $1 AND revision = $4 RETURNING revision`,
            [record.key, body, writeId, expectedRevision],
          );
    if (written.length === 0) {
      const found = await this.query<{ revision: string; write_id: string | null }>(
        operation,
        `SELECT revision, write_id FROM ${this.s}.orders WHERE key = $1`,
        [record.key],
      );
      const revision = Number(found[0]?.revision ?? 0);
      // Retried after the server applied our write but the acknowledgement was lost: the row carries our id.
      const ours = found[0]?.write_id === writeId && revision === expectedRevision + 1;
      if (!ours) throw new StoreConflictError(backend, record.key, expectedRevision, revision);
    }
    return { ...(JSON.parse(body) as Omit<OrderRecord, 'revision'>), revision: expectedRevision + 1 };
  }
  async deleteOrder(key: string, expectedRevision?: number) {
    if (expectedRevision === undefined) {
      await this.query(`deleteOrder "${key}"`, `DELETE FROM ${this.s}.orders WHERE key = $1`, [key]);
      return;
    }
    checkExpectedRevision(backend, key, expectedRevision);
    const operation = `deleteOrder "${key}" at revision ${expectedRevision}`;
    const deleted = await this.query(
      operation,
      `DELETE FROM ${this.s}.orders WHERE key = $1 AND revision = $2 RETURNING key`,
      [key, expectedRevision],
    );
    if (deleted.length > 0) return;
    const found = await this.query<{ revision: string }>(
      operation,
      `SELECT revision FROM ${this.s}.orders WHERE key = $1`,
      [key],
    );
    // Absent is fine (deleted by another worker, or by our own attempt whose acknowledgement was lost).
    if (found[0]) throw new StoreConflictError(backend, key, expectedRevision, Number(found[0].revision));
  }

  async appendLedger(event: LedgerEvent) {
    await this.query(
      `appendLedger ${event.kind} for ${event.identifierSet}`,
      `INSERT INTO ${this.s}.ledger (event_id, directory_url, at, kind, account_url, identifier_set, event)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (event_id) DO NOTHING`,
      [
        randomUUID(),
        event.directoryUrl,
        event.at,
        event.kind,
        event.accountUrl,
        event.identifierSet,
        JSON.stringify(event),
      ],
    );
  }
  async queryLedger(query: LedgerQuery) {
    // Newest first with a LIMIT when only the newest few are wanted (the index on (directory_url, at) is read
    // backwards and stops there), turned oldest first here.
    const rows = await this.query<{ event: LedgerEvent }>(
      `queryLedger since ${query.since}`,
      `SELECT event FROM ${this.s}.ledger
       WHERE directory_url = $1 AND at >= $2
         AND ($3::text[] IS NULL OR kind = ANY($3))
         AND ($4::text IS NULL OR account_url = $4)
         AND ($5::text IS NULL OR identifier_set = $5)
       ORDER BY at DESC, id DESC
       LIMIT $6`,
      [
        query.directoryUrl,
        query.since,
        query.kinds ?? null,
        query.accountUrl ?? null,
        query.identifierSet ?? null,
        query.newest ?? null,
      ],
    );
    return rows.map((row) => row.event).reverse();
  }

  async getBackoff(key: string) {
    return this.one<BackoffRecord>(
      `getBackoff "${key}"`,
      `SELECT record FROM ${this.s}.backoff WHERE key = $1`,
      [key],
    );
  }
  async putBackoff(record: BackoffRecord) {
    await this.query(
      `putBackoff "${record.key}"`,
      `INSERT INTO ${this.s}.backoff (key, record) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET record = excluded.record`,
      [record.key, JSON.stringify(record)],
    );
  }
  async deleteBackoff(key: string) {
    await this.query(`deleteBackoff "${key}"`, `DELETE FROM ${this.s}.backoff WHERE key = $1`, [key]);
  }

  async acquireLease(name: string, holder: string, ttlMs: number): Promise<Lease | undefined> {
    const taken = await this.takeLease(name, holder, ttlMs);
    if (taken) return taken;
    // Held by another. A holder on this host that provably died (its pid gone or reused) is taken over at once,
    // as by the FileStore; a holder elsewhere is live until its lease expires (short leases, renewed often).
    const current = await this.getLease(name);
    if (current === undefined) return this.takeLease(name, holder, ttlMs);
    if (!(await leaseHolderIsDead(current.holder))) return undefined;
    return this.takeOverDeadLease(current, holder, ttlMs);
  }
  /** Take the lease if free or expired (token + 1), or renew it for its holder (same token). */
  private async takeLease(name: string, holder: string, ttlMs: number): Promise<Lease | undefined> {
    // One statement: the row lock of ON CONFLICT serialises contenders, and the WHERE is evaluated on the row
    // as the winner left it. A takeover gets token + 1; the holder renewing a live lease keeps its token.
    const rows = await this.query<LeaseRow>(
      `acquireLease "${name}" for ${holder}`,
      `INSERT INTO ${this.s}.leases AS l (name, holder, token, expires_at)
       VALUES ($1, $2, 1, clock_timestamp() + $3 * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET
         holder = excluded.holder,
         expires_at = excluded.expires_at,
         token = CASE WHEN l.holder = excluded.holder AND l.expires_at > clock_timestamp()
                      THEN l.token ELSE l.token + 1 END
       WHERE l.holder IS NULL OR l.expires_at <= clock_timestamp() OR l.holder = excluded.holder
       RETURNING name, holder, token, expires_at`,
      [name, holder, ttlMs],
    );
    return rows[0] && leaseOf(rows[0]);
  }
  /**
   * Replace the dead holder of `dead` (compare-and-set on its holder and token, so of two processes taking over
   * one wins) with token + 1. Retried after a lost acknowledgement, it finds the lease already ours and keeps it.
   */
  private async takeOverDeadLease(dead: Lease, holder: string, ttlMs: number): Promise<Lease | undefined> {
    const rows = await this.query<LeaseRow>(
      `acquireLease "${dead.name}" for ${holder} from a dead holder`,
      `UPDATE ${this.s}.leases SET
         holder = $2,
         expires_at = clock_timestamp() + $3 * interval '1 millisecond',
         token = CASE WHEN holder = $4 THEN token + 1 ELSE token END
       WHERE name = $1 AND ((holder = $4 AND token = $5) OR (holder = $2 AND token = $5 + 1))
       RETURNING name, holder, token, expires_at`,
      [dead.name, holder, ttlMs, dead.holder, dead.token],
    );
    return rows[0] && leaseOf(rows[0]);
  }
  async releaseLease(lease: Lease) {
    await this.query(
      `releaseLease "${lease.name}" for ${lease.holder}`,
      `UPDATE ${this.s}.leases SET holder = NULL, expires_at = NULL WHERE name = $1 AND holder = $2 AND token = $3`,
      [lease.name, lease.holder, lease.token],
    );
  }

  async getLease(name: string): Promise<Lease | undefined> {
    const rows = await this.query<LeaseRow>(
      `getLease "${name}"`,
      `SELECT name, holder, token, expires_at FROM ${this.s}.leases
       WHERE name = $1 AND holder IS NOT NULL AND expires_at > clock_timestamp()`,
      [name],
    );
    return rows[0] && leaseOf(rows[0]);
  }

  async getManaged(key: string) {
    return this.one<ManagedCertificateRecord>(
      `getManaged "${key}"`,
      `SELECT record FROM ${this.s}.managed WHERE key = $1`,
      [key],
    );
  }
  async putManaged(record: ManagedCertificateRecord) {
    await this.query(
      `putManaged "${record.key}"`,
      `INSERT INTO ${this.s}.managed (key, record) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET record = excluded.record, updated_at = now()`,
      [record.key, JSON.stringify(record)],
    );
  }
  listManaged(options: PageOptions = {}) {
    return this.page<ManagedCertificateRecord>('managed', options);
  }
  async deleteManaged(key: string) {
    await this.query(`deleteManaged "${key}"`, `DELETE FROM ${this.s}.managed WHERE key = $1`, [key]);
  }

  /** Ends the pool when the store created it; a pool passed in stays open. Idempotent. */
  async close() {
    if (this.closed) return;
    this.closed = true;
    if (this.ownsPool) await this.pool.end();
  }

  private async query<R extends pg.QueryResultRow>(operation: string, text: string, values: unknown[]) {
    const result = await withRetry(operation, this.retry, () => this.pool.query<R>(text, values));
    return result.rows;
  }

  /** One page of a table keyed by `key COLLATE "C"`, in key order. */
  private async page<T>(table: 'certificates' | 'managed', options: PageOptions): Promise<T[]> {
    const rows = await this.query<{ record: T }>(
      `list ${table}`,
      `SELECT record FROM ${this.s}.${table} WHERE $1::text IS NULL OR key > $1 ORDER BY key LIMIT $2`,
      [options.afterKey ?? null, options.limit ?? 1000],
    );
    return rows.map((row) => row.record);
  }

  /**
   * Rows written before migration 3 have no check_at: compute it here (the formula lives in one place, in
   * JavaScript), once per store object. Idempotent, so stores racing to fill write the same values.
   */
  private async fillCheckTimes(): Promise<void> {
    if (this.checkTimesFilled) return;
    for (;;) {
      const rows = await this.query<{ record: CertificateRecord }>(
        'fill certificate check times',
        `SELECT record FROM ${this.s}.certificates WHERE check_at IS NULL LIMIT 1000`,
        [],
      );
      for (const { record } of rows)
        await this.query(
          `fill the check time of "${record.key}"`,
          `UPDATE ${this.s}.certificates SET check_at = $2 WHERE key = $1 AND check_at IS NULL`,
          [record.key, checkAtOf(record)],
        );
      if (rows.length < 1000) break;
    }
    this.checkTimesFilled = true;
  }

  private async one<T>(operation: string, text: string, values: unknown[]): Promise<T | undefined> {
    const rows = await this.query<{ record: T }>(operation, text, values);
    return rows[0]?.record;
  }
}

function checkAtOf(record: CertificateRecord): string {
  return new Date(certificateCheckAt(record)).toISOString();
}

interface PageOptions {
  readonly afterKey?: string;
  readonly limit?: number;
}

interface LeaseRow {
  readonly name: string;
  readonly holder: string;
  readonly token: string;
  readonly expires_at: Date;
}

function leaseOf(row: LeaseRow): Lease {
  return {
    name: row.name,
    holder: row.holder,
    token: Number(row.token),
    expiresAt: row.expires_at.toISOString(),
  };
}
