import { configDefaults, defineConfig } from 'vitest/config';

// Tests import workspace packages from their TypeScript sources through the "@certkeeper/source" export
// condition, so a test run never depends on a stale dist/.
const sourceCondition = { conditions: ['@certkeeper/source'] };

const postgresSuites = [
  'test/store/postgres-*.test.ts',
  'test/manager/workers.test.ts',
  'test/crash/*-postgres.test.ts',
  'test/examples/**/*.test.ts',
  'test/ondemand/*-postgres.test.ts',
];

export default defineConfig({
  resolve: sourceCondition,
  ssr: { resolve: { conditions: ['@certkeeper/source'], externalConditions: ['@certkeeper/source'] } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['packages/*/src/**/*.spec.ts', 'plugins/*/src/**/*.spec.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          // Prints the Pebble version the suites run against (2.10, from scripts/setup.sh), once.
          globalSetup: ['test/support/print-pebble-version.ts'],
          include: ['packages/*/test/**/*.test.ts', 'plugins/*/test/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...postgresSuites],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          // Suites on the machine's shared PostgreSQL, two of which restart it mid-run: one file at a time, so a
          // restart never lands in another suite's timing-sensitive case.
          name: 'postgres',
          include: postgresSuites,
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
