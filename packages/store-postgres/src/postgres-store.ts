import { randomUUID } from 'node:crypto';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type {
  AccountRecord,
  BackoffRecord,
  CertificateRecord,
  Lease,
  LedgerEvent,
  LedgerQuery,
  OrderRecord,
  Store,
} from '@certkeeper/store';
import type pg from 'pg';
import { createPool } from './create-pool.js';
import { migrate } from './migrate.js';
import { type RetryPolicy, withRetry } from './pg-errors.js';
import { quoteSchema } from './schema-name.js';

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
 */
export class PostgresStore implements Store {
  private closed = false;

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
      `INSERT INTO ${this.s}.certificates (key, record, not_after) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET record = excluded.record, not_after = excluded.not_after, updated_at = now()`,
      [record.key, JSON.stringify(record), record.notAfter],
    );
  }
  async listCertificates(options: { afterKey?: string; limit?: number } = {}) {
    const rows = await this.query<{ record: CertificateRecord }>(
      'listCertificates',
      `SELECT record FROM ${this.s}.certificates WHERE $1::text IS NULL OR key > $1 ORDER BY key LIMIT $2`,
      [options.afterKey ?? null, options.limit ?? 1000],
    );
    return rows.map((row) => row.record);
  }

  async getOrder(key: string) {
    return this.one<OrderRecord>(`getOrder "${key}"`, `SELECT record FROM ${this.s}.orders WHERE key = $1`, [
      key,
    ]);
  }
  async putOrder(record: OrderRecord) {
    await this.query(
      `putOrder "${record.key}"`,
      `INSERT INTO ${this.s}.orders (key, record) VALUES ($1, $2)
       ON CONFLICT (key) DO UPDATE SET record = excluded.record, updated_at = now()`,
      [record.key, JSON.stringify(record)],
    );
  }
  async deleteOrder(key: string) {
    await this.query(`deleteOrder "${key}"`, `DELETE FROM ${this.s}.orders WHERE key = $1`, [key]);
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
    const rows = await this.query<{ event: LedgerEvent }>(
      `queryLedger since ${query.since}`,
      `SELECT event FROM ${this.s}.ledger
       WHERE directory_url = $1 AND at >= $2
         AND ($3::text[] IS NULL OR kind = ANY($3))
         AND ($4::text IS NULL OR account_url = $4)
         AND ($5::text IS NULL OR identifier_set = $5)
       ORDER BY at, id`,
      [
        query.directoryUrl,
        query.since,
        query.kinds ?? null,
        query.accountUrl ?? null,
        query.identifierSet ?? null,
      ],
    );
    return rows.map((row) => row.event);
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
    // One statement: the row lock of ON CONFLICT serialises contenders, and the WHERE is evaluated on the row
    // as the winner left it. A takeover gets token + 1; the holder renewing a live lease keeps its token.
    const rows = await this.query<{ name: string; holder: string; token: string; expires_at: Date }>(
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
    const row = rows[0];
    if (!row) return undefined;
    return {
      name: row.name,
      holder: row.holder,
      token: Number(row.token),
      expiresAt: row.expires_at.toISOString(),
    };
  }
  async releaseLease(lease: Lease) {
    await this.query(
      `releaseLease "${lease.name}" for ${lease.holder}`,
      `UPDATE ${this.s}.leases SET holder = NULL, expires_at = NULL WHERE name = $1 AND holder = $2 AND token = $3`,
      [lease.name, lease.holder, lease.token],
    );
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

  private async one<T>(operation: string, text: string, values: unknown[]): Promise<T | undefined> {
    const rows = await this.query<{ record: T }>(operation, text, values);
    return rows[0]?.record;
  }
}
