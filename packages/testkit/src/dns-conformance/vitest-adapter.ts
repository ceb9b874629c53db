import { describe, it } from 'vitest';
import { runCase } from '../conformance/run-cases.js';
import { applicableCases, notApplicableFeatures } from './run-conformance.js';
import type { DnsConformanceFactory, DnsConformanceOptions } from './subject.js';

/**
 * Registers the DNS provider conformance suite with vitest: one test per case, a fresh subject per test.
 *
 * @example
 * describeDnsProviderConformance('my-dns-host', async () => ({
 *   provider: myDnsHost({ token: process.env.MY_DNS_TOKEN! }),
 *   zone: 'ci-zone.example',
 *   withBadCredentials: () => myDnsHost({ token: 'not-a-token' }),
 *   secondInstance: () => myDnsHost({ token: process.env.MY_DNS_TOKEN! }),
 * }));
 */
export function describeDnsProviderConformance(
  name: string,
  factory: DnsConformanceFactory,
  options: DnsConformanceOptions = {},
): void {
  const declared = notApplicableFeatures(options).map(([feature, reason]) => `${feature}: ${reason}`);
  const title = declared.length > 0 ? `${name} (not applicable: ${declared.join('; ')})` : name;
  describe(`DNS provider conformance: ${title}`, () => {
    for (const testCase of applicableCases(options)) {
      it(testCase.title, () => runCase(testCase, factory), options.timeoutMs ?? 30_000);
    }
  });
}
