import { defineConfig } from 'vitest/config';

// Tests import workspace packages from their TypeScript sources through the "@certkeeper/source" export
// condition, so a test run never depends on a stale dist/.
const sourceCondition = { conditions: ['@certkeeper/source'] };

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
          include: ['packages/*/test/**/*.test.ts', 'plugins/*/test/**/*.test.ts', 'test/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
