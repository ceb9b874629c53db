import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { isTransient } from '@certkeeper/store-postgres';
import pg from 'pg';

const run = promisify(execFile);

/** The test server: PostgreSQL on loopback, trust auth for `postgres`, database `test`. Override with CERTKEEPER_TEST_PG. */
export const connectionString = process.env.CERTKEEPER_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test';

/** The Debian cluster version (the directory under /etc/postgresql), for pg_ctlcluster. */
export async function clusterVersion(): Promise<string> {
  const versions = await readdir('/etc/postgresql').catch(() => [] as string[]);
  const version = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!version) throw new Error('No PostgreSQL cluster under /etc/postgresql: apt-get install -y postgresql');
  return version;
}

async function canConnect(): Promise<unknown> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Make sure the server answers: start the local cluster if it is installed but down, otherwise fail saying
 * what is missing. Suites call this in beforeAll.
 */
export async function requirePostgres(): Promise<void> {
  let failure = await canConnect();
  if (failure === undefined) return;
  const version = await clusterVersion();
  await run('pg_ctlcluster', [version, 'main', 'start']).catch(() => {});
  for (let i = 0; i < 50 && failure !== undefined; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    failure = await canConnect();
  }
  if (failure !== undefined) {
    throw new Error(
      `PostgreSQL is not reachable at ${connectionString} (${String(failure)}). These tests need PostgreSQL ` +
        `on 127.0.0.1:5432 with trust auth for user postgres and a database "test" (apt-get install postgresql; ` +
        `createdb test), or CERTKEEPER_TEST_PG pointing at another server.`,
    );
  }
}

/** A fresh schema name per test file, and a function dropping it (and pg-boss's) afterwards. */
export function testSchema(label: string): { schema: string; jobs: string; drop: () => Promise<void> } {
  const suffix = randomBytes(4).toString('hex');
  const schema = `ckt_${label}_${suffix}`;
  const jobs = `ckt_${label}_jobs_${suffix}`;
  return {
    schema,
    jobs,
    async drop() {
      await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await sql(`DROP SCHEMA IF EXISTS "${jobs}" CASCADE`);
      await sql(`DROP SCHEMA IF EXISTS "${jobs}_pgboss10" CASCADE`);
    },
  };
}

/**
 * One query on a short-lived connection (for assertions that look at tables directly). Retried through a
 * server restart, since postgres-restart.test.ts may restart the server while other files run.
 */
export async function sql<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  for (let attempt = 1; ; attempt += 1) {
    const client = new pg.Client({ connectionString });
    try {
      await client.connect();
      return (await client.query<R>(text, values)).rows;
    } catch (error) {
      if (!isTransient(error) || attempt >= 30) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await client.end().catch(() => {});
    }
  }
}

/** Restart the server under running clients (what a failover or an upgrade does to workers). */
export async function restartPostgres(): Promise<void> {
  await run('pg_ctlcluster', [await clusterVersion(), 'main', 'restart']);
}
