import { describe, it } from 'vitest';
import { runCase } from '../conformance/run-cases.js';
import { applicableCases } from './run-conformance.js';
import type { DnsConformanceFactory, DnsConformanceOptions } from './subject.js';

/**
 * Registers the DNS provider conformance suite with vitest: one test per case, a fresh subject per test.
 *
 * @example
 * describeDnsProviderConformance('my-dns-host', async () => ({
 *   provider: myDnsHost({ token: process.env.MY_DNS_TOKEN! }),
 *   zone: 'ci-zone.example',
 *   withBadCredentials: () => myDnsHost({ token: 'not-a-token' }),
 * }));
 */
export function describeDnsProviderConformance(
  name: string,
  factory: DnsConformanceFactory,
  options: DnsConformanceOptions = {},
): void {
  const declared = options.notApplicable?.badCredentials;
  const title = declared ? `${name} (bad credentials not applicable: ${declared})` : name;
  describe(`DNS provider conformance: ${title}`, () => {
    for (const testCase of applicableCases(options)) {
      it(testCase.title, () => runCase(testCase, factory), options.timeoutMs ?? 30_000);
    }
  });
}
