import type { ServerStatus } from './propagation-result.js';

/**
 * What one lagging server returned, for a person: `ns2.example.test 127.0.0.2:53 has 0 of 2 expected values at
 * _acme-challenge.a.example.test (answered NXDOMAIN)`, `the configured nameserver 127.0.0.1:53 did not answer for
 * … (timeout)`. With `withValues` the values returned follow (TXT challenge values are public, not secrets).
 */
export function describeServer(status: ServerStatus, withValues = false): string {
  const who =
    status.nameserver === 'fixed'
      ? `the configured nameserver ${status.address}`
      : status.nameserver === 'resolver'
        ? `resolver ${status.address}`
        : `${status.nameserver} ${status.address}`;
  const values = withValues
    ? ` (returned [${status.values.map((value) => JSON.stringify(value)).join(', ')}])`
    : '';
  if (status.error) return `${who} did not answer for ${status.name} (${status.error})${values}`;
  const seen = status.expected - status.missing.length;
  return `${who} has ${seen} of ${status.expected} expected value${status.expected === 1 ? '' : 's'} at ${status.name} (answered ${status.rcode})${values}`;
}
