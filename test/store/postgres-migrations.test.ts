import { migrations, PostgresStore } from '@certkeeper/store-postgres';
import { certificateRecord, managedRecord, orderRecord } from '@certkeeper/testkit/store-conformance';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChild } from './support/child-process.js';
import { connectionString, requirePostgres, sql, testSchema } from './support/postgres.js';

const { schema, drop } = testSchema('migrations');
beforeAll(requirePostgres);
afterAll(drop);

describe('PostgresStore migrations', () => {
  it('four processes opening a fresh schema at once all succeed, and each migration is applied once', async () => {
    const startAt = String(Date.now() + 2_500);
    const children = [0, 1, 2, 3].map(() => startChild('./postgres-child.ts', ['open', startAt, schema]));
    const exits = await Promise.all(children.map((child) => child.exited));
    for (const [i, exit] of exits.entries()) expect(exit.code, children[i]!.stderr()).toBe(0);
    for (const child of children) expect(child.lines).toContain('ack opened');
    const rows = await sql<{ version: number }>(
      `SELECT version FROM "${schema}".schema_migrations ORDER BY version`,
    );
    expect(rows.map((row) => row.version)).toEqual(migrations.map((migration) => migration.version));
  }, 60_000);

  it('opening again changes nothing and the store works', async () => {
    const before = await sql(
      `SELECT version, applied_at FROM "${schema}".schema_migrations ORDER BY version`,
    );
    const store = await PostgresStore.open({ connectionString, schema });
    try {
      expect(
        await sql(`SELECT version, applied_at FROM "${schema}".schema_migrations ORDER BY version`),
      ).toEqual(before);
      expect(await store.acquireLease('migrated', 'me', 1_000)).toMatchObject({ token: 1 });
    } finally {
      await store.close();
    }
  });

  it('refuses a schema newer than this code, naming both versions', async () => {
    await sql(`INSERT INTO "${schema}".schema_migrations (version, name) VALUES (999, 'from the future')`);
    try {
      const error = await PostgresStore.open({ connectionString, schema }).catch((e) => e);
      expect(error.code).toBe('CERTKEEPER_ERR_STORE_MIGRATION_FAILED');
      expect(error.message).toContain('version 999');
    } finally {
      await sql(`DELETE FROM "${schema}".schema_migrations WHERE version = 999`);
    }
  });

  it('migrates a schema at version 1: orders stored before keep their record at revision 1', async () => {
    const legacy = testSchema('legacy');
    try {
      await sql(`CREATE SCHEMA "${legacy.schema}"`);
      await sql(`CREATE TABLE "${legacy.schema}".schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const first = migrations.find((migration) => migration.version === 1)!;
      await sql(first.sql(`"${legacy.schema}"`));
      await sql(`INSERT INTO "${legacy.schema}".schema_migrations (version, name) VALUES (1, $1)`, [
        first.name,
      ]);
      const order = orderRecord('before-revisions');
      await sql(`INSERT INTO "${legacy.schema}".orders (key, record) VALUES ($1, $2)`, [
        order.key,
        JSON.stringify(order),
      ]);
      const store = await PostgresStore.open({ connectionString, schema: legacy.schema });
      try {
        expect(await store.getOrder(order.key)).toEqual({ ...order, revision: 1 });
        expect((await store.putOrder(order, 1)).revision).toBe(2);
        await store.putManaged(managedRecord('managed-after-migration'));
        expect((await store.listManaged()).map((record) => record.key)).toEqual(['managed-after-migration']);
      } finally {
        await store.close();
      }
    } finally {
      await legacy.drop();
    }
  });

  it('migrates a schema at version 2: certificates stored before get their check time and are found due', async () => {
    const legacy = testSchema('legacy');
    try {
      await sql(`CREATE SCHEMA "${legacy.schema}"`);
      await sql(`CREATE TABLE "${legacy.schema}".schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      for (const migration of migrations.filter((m) => m.version <= 2)) {
        await sql(migration.sql(`"${legacy.schema}"`));
        await sql(`INSERT INTO "${legacy.schema}".schema_migrations (version, name) VALUES ($1, $2)`, [
          migration.version,
          migration.name,
        ]);
      }
      // The fixture's renewalInfo is to be fetched again from 2026-11-01T06:00: due after that, not before.
      const stored = certificateRecord('stored-before-check-times');
      await sql(`INSERT INTO "${legacy.schema}".certificates (key, record, not_after) VALUES ($1, $2, $3)`, [
        stored.key,
        JSON.stringify(stored),
        stored.notAfter,
      ]);
      const store = await PostgresStore.open({ connectionString, schema: legacy.schema });
      try {
        expect(await store.listDueCertificates({ by: '2026-11-01T05:00:00.000Z' })).toEqual([]);
        expect(await store.listDueCertificates({ by: '2026-11-01T06:00:00.000Z' })).toEqual([stored]);
        const [row] = await sql<{ check_at: Date }>(`SELECT check_at FROM "${legacy.schema}".certificates`);
        expect(row!.check_at.toISOString()).toBe('2026-11-01T06:00:00.000Z');
      } finally {
        await store.close();
      }
    } finally {
      await legacy.drop();
    }
  });

  it('rejects a schema name that is not a plain identifier before touching the database', async () => {
    const error = await PostgresStore.open({ connectionString, schema: 'x"; DROP TABLE y; --' }).catch(
      (e) => e,
    );
    expect(error.code).toBe('CERTKEEPER_ERR_INVALID_OPTION');
  });
});
