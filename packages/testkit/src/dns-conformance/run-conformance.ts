import { type ConformanceOutcome, runCases } from '../conformance/run-cases.js';
import { type DnsConformanceCase, dnsConformanceCases } from './cases.js';
import type { DnsConformanceFactory, DnsConformanceFeature, DnsConformanceOptions } from './subject.js';

export type DnsConformanceOutcome = ConformanceOutcome;

/** The cases that apply, given the features the author declared not applicable. */
export function applicableCases(options: DnsConformanceOptions = {}): DnsConformanceCase[] {
  const missing = declaredMissing(options);
  return dnsConformanceCases.filter((testCase) => !testCase.needs?.some((feature) => missing.has(feature)));
}

/** The features declared not applicable, with their reasons, in declaration order. */
export function notApplicableFeatures(
  options: DnsConformanceOptions = {},
): [DnsConformanceFeature, string][] {
  return Object.entries(options.notApplicable ?? {}).filter(
    (entry): entry is [DnsConformanceFeature, string] => typeof entry[1] === 'string' && entry[1] !== '',
  );
}

function declaredMissing(options: DnsConformanceOptions): Set<DnsConformanceFeature> {
  return new Set(notApplicableFeatures(options).map(([feature]) => feature));
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
