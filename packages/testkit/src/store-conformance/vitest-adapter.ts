import { describe, it } from 'vitest';
import { runCase } from '../conformance/run-cases.js';
import { applicableStoreCases } from './run-conformance.js';
import type { StoreConformanceFactory, StoreConformanceOptions } from './subject.js';

/**
 * Registers the Store conformance suite with vitest: one test per case, a fresh subject per test.
 *
 * @example
 * describeStoreConformance('my-store', async () => {
 *   const dir = await mkdtemp(join(tmpdir(), 'store-'));
 *   return {
 *     store: await MyStore.open(dir),
 *     reopen: () => MyStore.open(dir),
 *     cleanup: () => rm(dir, { recursive: true, force: true }),
 *   };
 * });
 */
export function describeStoreConformance(
  name: string,
  factory: StoreConformanceFactory,
  options: StoreConformanceOptions = {},
): void {
  const declared = options.notApplicable?.durability;
  const title = declared ? `${name} (durability not applicable: ${declared})` : name;
  describe(`Store conformance: ${title}`, () => {
    for (const testCase of applicableStoreCases(options)) {
      it(testCase.title, () => runCase(testCase, factory), options.timeoutMs ?? 30_000);
    }
  });
}
