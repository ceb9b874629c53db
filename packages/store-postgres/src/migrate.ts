import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type { Pool } from 'pg';
import { migrations } from './migrations.js';
import { databaseError, isTransient, type RetryPolicy, withRetry } from './pg-errors.js';

// pg_advisory_xact_lock(int, int): a fixed class for certkeeper, and the schema's hash as the object.
const LOCK_CLASS = 0x636b7072; // "ckpr"

/**
 * Bring the schema to the latest version, in one transaction under an advisory lock: processes starting at
 * the same moment queue on the lock, and each finds the work done by the first (CREATE SCHEMA IF NOT EXISTS
 * alone races on the catalog's unique index). Resolves the versions it applied.
 */
export async function migrate(
  pool: Pool,
  schema: string,
  quoted: string,
  retry: RetryPolicy,
): Promise<number[]> {
  return withRetry(`migrating schema ${schema}`, retry, async () => {
    const client = await pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [LOCK_CLASS, schema]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
      await client.query(
        `CREATE TABLE IF NOT EXISTS ${quoted}.schema_migrations (
           version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const { rows } = await client.query<{ version: number }>(
        `SELECT version FROM ${quoted}.schema_migrations`,
      );
      const applied = new Set(rows.map((row) => row.version));
      const latest = migrations.at(-1)!.version;
      const newest = Math.max(0, ...applied);
      if (newest > latest) {
        throw new CertkeeperError(
          ErrorCodes.STORE_MIGRATION_FAILED,
          `PostgreSQL store: schema ${schema} is at version ${newest}, newer than this certkeeper knows (${latest}).`,
          { hint: 'upgrade certkeeper on this machine to the version the other workers run.' },
        );
      }
      const done: number[] = [];
      for (const migration of migrations) {
        if (applied.has(migration.version)) continue;
        await client.query(migration.sql(quoted));
        await client.query(`INSERT INTO ${quoted}.schema_migrations (version, name) VALUES ($1, $2)`, [
          migration.version,
          migration.name,
        ]);
        done.push(migration.version);
      }
      await client.query('COMMIT');
      return done;
    } catch (error) {
      broken = isTransient(error);
      await client.query('ROLLBACK').catch(() => {});
      if (CertkeeperError.isInstance(error) || broken) throw error;
      throw databaseError(`migrating schema ${schema}`, error, ErrorCodes.STORE_MIGRATION_FAILED);
    } finally {
      // A connection that failed mid-transaction is not given back to the pool for reuse.
      client.release(broken);
    }
  });
}
