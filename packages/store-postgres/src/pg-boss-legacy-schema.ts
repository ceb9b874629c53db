import type pg from 'pg';
import { quoteSchema } from './schema-name.js';

/**
 * pg-boss 11 rebuilt its tables and ships no migration from pg-boss 10's (schema version 24): started on one,
 * pg-boss 12 refuses with "Cannot migrate pg-boss schema from version 24" (timgit/pg-boss#590). certkeeper 0.1
 * ran pg-boss 10, and its waiting jobs (a renewal delayed by a Retry-After, an order suspended during DNS
 * propagation) exist nowhere else. So the old schema is renamed aside before pg-boss starts, its waiting jobs are
 * sent again into the new one, then it is dropped.
 */
const LEGACY_SUFFIX = '_pgboss10';
/** The last schema version of pg-boss 10; pg-boss 12 migrates from 25 (pg-boss 11) onwards. */
const LAST_LEGACY_VERSION = 24;

export interface LegacyJob {
  readonly id: string;
  readonly data: object;
  readonly singletonKey: string | null;
  readonly startAfter: Date;
}

/** The name the old schema is renamed to; checked like any schema name. */
export function legacySchemaName(schema: string): string {
  const aside = `${schema}${LEGACY_SUFFIX}`;
  quoteSchema(aside);
  return aside;
}

/**
 * Renames a pg-boss 10 installation in `schema` to its legacy name, once, under an advisory lock so processes
 * starting together agree. Returns the legacy schema's name when one exists (renamed now or by an earlier start
 * that crashed before carrying its jobs over).
 */
export async function setAsideLegacySchema(pool: pg.Pool, schema: string): Promise<string | undefined> {
  const aside = legacySchemaName(schema);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`certkeeper-pgboss-legacy:${schema}`]);
    const version = await installedVersion(client, schema);
    if (version !== undefined && version <= LAST_LEGACY_VERSION) {
      await client.query(`ALTER SCHEMA ${quoteSchema(schema)} RENAME TO ${quoteSchema(aside)}`);
    }
    const exists = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [aside]);
    await client.query('COMMIT');
    return exists.rowCount ? aside : undefined;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** Jobs of `queue` still to run in the legacy schema: waiting, retrying, or active under a worker that is gone. */
export async function legacyJobs(pool: pg.Pool, aside: string, queue: string): Promise<LegacyJob[]> {
  const { rows } = await pool.query<LegacyJob>(
    `SELECT id, data, singleton_key AS "singletonKey", start_after AS "startAfter"
       FROM ${quoteSchema(aside)}.job
      WHERE name = $1 AND state IN ('created', 'retry', 'active')
      ORDER BY created_on`,
    [queue],
  );
  return rows;
}

/** Forget a carried-over job; when none of any queue is left, drop the legacy schema. */
export async function forgetLegacyJob(pool: pg.Pool, aside: string, id: string): Promise<void> {
  await pool.query(`DELETE FROM ${quoteSchema(aside)}.job WHERE id = $1`, [id]);
}

export async function dropLegacySchemaWhenEmpty(pool: pg.Pool, aside: string): Promise<void> {
  const { rowCount } = await pool.query(
    `SELECT 1 FROM ${quoteSchema(aside)}.job WHERE state IN ('created', 'retry', 'active') LIMIT 1`,
  );
  if (!rowCount) await pool.query(`DROP SCHEMA IF EXISTS ${quoteSchema(aside)} CASCADE`);
}

async function installedVersion(client: pg.PoolClient, schema: string): Promise<number | undefined> {
  const table = await client.query('SELECT to_regclass($1) AS t', [`${quoteSchema(schema)}.version`]);
  if (!table.rows[0]?.t) return undefined;
  const { rows } = await client.query<{ version: number }>(
    `SELECT version FROM ${quoteSchema(schema)}.version LIMIT 1`,
  );
  return rows[0]?.version;
}
