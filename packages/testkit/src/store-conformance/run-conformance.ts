import { type ConformanceOutcome, runCases } from '../conformance/run-cases.js';
import { storeConformanceCases } from './cases.js';
import type { StoreConformanceCase } from './store-case.js';
import type { StoreConformanceFactory, StoreConformanceOptions } from './subject.js';

export type StoreConformanceOutcome = ConformanceOutcome;

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
export function runStoreConformance(
  factory: StoreConformanceFactory,
  options: StoreConformanceOptions = {},
): Promise<StoreConformanceOutcome[]> {
  return runCases(applicableStoreCases(options), factory);
}
