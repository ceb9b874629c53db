import type { ServerStatus } from './propagation-result.js';

/**
 * `ns2.example.test 127.0.0.2:53 answered NXDOMAIN for _acme-challenge.a.example.test, saw 0 of 2 expected
 * values`, with the values returned when `withValues` is set (TXT challenge values are public, not secrets).
 */
export function describeServer(status: ServerStatus, withValues = false): string {
  const outcome = status.error ? `gave no answer (${status.error})` : `answered ${status.rcode}`;
  const seen = status.expected - status.missing.length;
  const values = withValues
    ? ` (returned [${status.values.map((value) => JSON.stringify(value)).join(', ')}])`
    : '';
  return `${status.nameserver} ${status.address} ${outcome} for ${status.name}, saw ${seen} of ${status.expected} expected values${values}`;
}
