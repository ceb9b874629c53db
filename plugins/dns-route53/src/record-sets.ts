import {
  ListResourceRecordSetsCommand,
  type ListResourceRecordSetsCommandOutput,
  type ResourceRecordSet,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { providerFailed } from '@certkeeper/dns';
import { callRoute53, sendOptions } from './aws-call.js';
import { PROVIDER_NAME } from './route53-errors.js';
import { fromRoute53Name, toRoute53Name } from './route53-names.js';

/** The TXT record set at one name exactly as Route 53 holds it; `values` are presentation strings, as stored. */
export interface TxtRecordSet {
  readonly name: string;
  readonly ttl: number;
  readonly values: readonly string[];
}

/**
 * Reads the simple-routing TXT set at `fqdn`, or undefined when there is none. One ListResourceRecordSets call:
 * the listing starts at (name, TXT) and the first set returned is the one asked for when it exists.
 *
 * @throws CertkeeperError DNS_PROVIDER_FAILED (not retryable) when the name holds weighted/latency/failover TXT
 *   sets: rewriting those as one simple set would break the owner's routing policy.
 */
export async function readTxtSet(
  client: Route53Client,
  zoneId: string,
  fqdn: string,
  zone: string,
  signal?: AbortSignal,
): Promise<TxtRecordSet | undefined> {
  const page = await callRoute53(
    () =>
      client.send(
        new ListResourceRecordSetsCommand({
          HostedZoneId: zoneId,
          StartRecordName: toRoute53Name(fqdn),
          StartRecordType: 'TXT',
          MaxItems: 1,
        }),
        sendOptions(signal),
      ),
    `read the TXT record set at ${fqdn}`,
    zone,
  );
  const set = page.ResourceRecordSets?.[0];
  if (set?.Type !== 'TXT' || fromRoute53Name(set.Name ?? '') !== fqdn) return undefined;
  return toTxtSet(set, fqdn);
}

/**
 * Every record set of a hosted zone, page by page (MaxItems up to 300; `NextRecordName`/`NextRecordType`/
 * `NextRecordIdentifier` carry the position, as Route 53 has no page token).
 */
export async function* listRecordSets(
  client: Route53Client,
  zoneId: string,
  zone: string,
  options: { pageSize?: number; signal?: AbortSignal } = {},
): AsyncGenerator<ResourceRecordSet> {
  let position: Pick<
    ListResourceRecordSetsCommandOutput,
    'NextRecordName' | 'NextRecordType' | 'NextRecordIdentifier'
  > = {};
  for (;;) {
    const page = await callRoute53(
      () =>
        client.send(
          new ListResourceRecordSetsCommand({
            HostedZoneId: zoneId,
            StartRecordName: position.NextRecordName,
            StartRecordType: position.NextRecordType,
            StartRecordIdentifier: position.NextRecordIdentifier,
            MaxItems: options.pageSize ?? 300,
          }),
          sendOptions(options.signal),
        ),
      `list the record sets of ${zone}`,
      zone,
    );
    yield* page.ResourceRecordSets ?? [];
    if (!page.IsTruncated) return;
    position = page;
  }
}

/** A TXT `ResourceRecordSet` as a {@link TxtRecordSet}, refusing sets this provider must not rewrite. */
export function toTxtSet(set: ResourceRecordSet, fqdn: string): TxtRecordSet {
  if (set.SetIdentifier !== undefined || set.AliasTarget !== undefined) {
    throw providerFailed(
      PROVIDER_NAME,
      `update TXT records at ${fqdn}`,
      `the name holds a TXT record set with a routing policy (SetIdentifier "${set.SetIdentifier ?? 'alias'}"), which this provider does not rewrite`,
      { retryable: false },
    );
  }
  return {
    name: set.Name ?? toRoute53Name(fqdn),
    ttl: set.TTL ?? 300,
    values: (set.ResourceRecords ?? []).map((record) => record.Value ?? ''),
  };
}
