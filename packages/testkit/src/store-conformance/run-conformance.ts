import { storeConformanceCases } from './cases.js';
import type { StoreConformanceCase } from './store-case.js';
import type { StoreConformanceFactory, StoreConformanceOptions } from './subject.js';

export interface StoreConformanceOutcome {
  readonly id: string;
  readonly title: string;
  readonly passed: boolean;
  readonly error?: unknown;
}

/** The cases that apply, given what the author declared not applicable. */
export function applicableStoreCases(options: StoreConformanceOptions = {}): readonly StoreConformanceCase[] {
  return storeConformanceCases.filter(
    (testCase) => testCase.id !== 'durability' || !options.notApplicable?.durability,
  );
}

/**
 * Runs every applicable case in sequence without a test framework (for node:test, Jest, or a CLI check).
 * A fresh subject per case; its cleanup runs even when the case fails.
 */
export async function runStoreConformance(
  factory: StoreConformanceFactory,
  options: StoreConformanceOptions = {},
): Promise<StoreConformanceOutcome[]> {
  const outcomes: StoreConformanceOutcome[] = [];
  for (const testCase of applicableStoreCases(options)) {
    const subject = await factory();
    try {
      await testCase.run(subject);
      outcomes.push({ id: testCase.id, title: testCase.title, passed: true });
    } catch (error) {
      outcomes.push({ id: testCase.id, title: testCase.title, passed: false, error });
    } finally {
      await subject.cleanup?.();
    }
  }
  return outcomes;
}
