import { parseCertificate } from '@certkeeper/core';
import { Dns01Solver, type DnsProvider, type PropagationCheckerOptions } from '@certkeeper/dns';
import type { PebbleHandle } from '@certkeeper/testkit';
import { expect } from 'vitest';
import { type IssuedFromPebble, issueFromPebble } from '../../support/issue-from-pebble.js';

/**
 * Issues `names` from Pebble through a DNS provider whose fake mirrors into pebble-challtestsrv: a `Dns01Solver`
 * checking propagation on challtestsrv (it has no NS/SOA, so `zones` names the zones the SOA walk cannot find), then
 * checks the certificate covers exactly the names and the order is done. Every provider's issuance test starts here.
 */
export async function issueThroughProvider(
  pebble: PebbleHandle,
  provider: DnsProvider,
  names: readonly string[],
  options: {
    zones?: readonly string[];
    propagation?: PropagationCheckerOptions;
    beforeOrder?: () => void;
  } = {},
): Promise<IssuedFromPebble> {
  const dnsServer = `127.0.0.1:${pebble.dnsPort}`;
  const dns01 = new Dns01Solver({
    provider,
    discovery: {
      ...(options.zones ? { zones: options.zones } : {}),
      fixedServers: [dnsServer],
      resolvers: [dnsServer],
    },
    ...(options.propagation ? { propagation: options.propagation } : {}),
  });
  const issued = await issueFromPebble(
    pebble,
    names,
    [dns01],
    options.beforeOrder ? { beforeOrder: options.beforeOrder } : {},
  );
  expect([...parseCertificate(issued.certificatePem).names].sort()).toEqual([...names].sort());
  expect(issued.state.phase).toBe('done');
  return issued;
}

/** Prints what one issuance cost at the DNS host, as one JSON line (`figure: <provider>.issue.apiCalls`). */
export function printApiCalls(
  provider: string,
  names: readonly string[],
  calls: Readonly<Record<string, number>>,
  elapsedMs: number,
): void {
  const challengeNames = new Set(names.map((name) => name.replace(/^\*\./, ''))).size;
  console.log(
    JSON.stringify({
      figure: `${provider}.issue.apiCalls`,
      identifiers: names.length,
      challengeNames,
      ...calls,
      elapsedMs,
    }),
  );
}
