import { dnsConformanceCases } from './cases.js';
import type { DnsConformanceFactory, DnsConformanceOptions } from './subject.js';

export interface DnsConformanceOutcome {
  readonly id: string;
  readonly title: string;
  readonly passed: boolean;
  readonly error?: unknown;
}

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
export async function runDnsProviderConformance(
  factory: DnsConformanceFactory,
  options: DnsConformanceOptions = {},
): Promise<DnsConformanceOutcome[]> {
  const outcomes: DnsConformanceOutcome[] = [];
  for (const testCase of applicableCases(options)) {
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
