import { PostgresStore } from '@certkeeper/store-postgres';
import { describeStoreConformance } from '@certkeeper/testkit/store-conformance';
import { afterAll, beforeAll } from 'vitest';
import { connectionString, requirePostgres, testSchema } from './support/postgres.js';

const { schema, drop } = testSchema('conformance');
beforeAll(requirePostgres);
afterAll(drop);

// One schema for the file; the cases use random names, so they share it safely.
describeStoreConformance('PostgresStore', async () => {
  const store = await PostgresStore.open({ connectionString, schema });
  return {
    store,
    reopen: () => PostgresStore.open({ connectionString, schema }),
    cleanup: () => store.close(),
  };
});
