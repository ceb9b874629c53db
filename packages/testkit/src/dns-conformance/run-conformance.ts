import { type ConformanceOutcome, runCases } from '../conformance/run-cases.js';
import { dnsConformanceCases } from './cases.js';
import type { DnsConformanceFactory, DnsConformanceOptions } from './subject.js';

export type DnsConformanceOutcome = ConformanceOutcome;

/** The cases that apply, given what the author declared not applicable. */
export function applicableCases(options: DnsConformanceOptions = {}) {
  return dnsConformanceCases.filter(
    (testCase) => testCase.id !== 'bad-credentials' || !options.notApplicable?.badCredentials,
  );
}

/**
 * Runs every applicable case in sequence without a test framework (for node:test, Jest, or a CLI check).
 * A fresh subject per case; its cleanup runs even when the case fails.
 */
export function runDnsProviderConformance(
  factory: DnsConformanceFactory,
  options: DnsConformanceOptions = {},
): Promise<DnsConformanceOutcome[]> {
  return runCases(applicableCases(options), factory);
}
