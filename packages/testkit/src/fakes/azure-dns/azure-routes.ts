import type { FakeApiAnswer, FakeApiRequest, FakeApiRoute } from '../json-api-fake.js';
import { armError } from './arm-error.js';
import type { AzureDnsStore, FakeAzureRecordSet, FakeAzureZone } from './azure-dns-store.js';
import type { EntraId } from './entra-id.js';

export type AzureOperation =
  | 'aad.openid'
  | 'aad.token'
  | 'imds.token'
  | 'appservice.token'
  | 'zones.list'
  | 'recordsets.get'
  | 'recordsets.list'
  | 'recordsets.put'
  | 'recordsets.delete';

/** The api-version Resource Manager serves for Microsoft.Network/dnszones that this fake implements. */
export const DNS_API_VERSIONS = ['2018-05-01'];

export interface AzureRouting {
  readonly store: AzureDnsStore;
  readonly entra: EntraId;
  readonly origin: () => string;
  readonly maxPerPage: number | undefined;
  readonly changed: (zone: FakeAzureZone, name: string) => void;
}

/** Routes Entra ID and Resource Manager (`/subscriptions/{id}/…/Microsoft.Network/dnszones…`) requests. */
export function routeAzure(
  routing: AzureRouting,
  request: FakeApiRequest,
): FakeApiRoute<AzureOperation> | undefined {
  const { method } = request;
  const parts = request.path.split('/').filter(Boolean).map(decodeURIComponent);
  const lower = parts.map((part) => part.toLowerCase());
  const route = (operation: AzureOperation, handle: () => FakeApiAnswer) => ({ operation, handle });
  if (
    lower[1] === 'v2.0' &&
    lower[2] === '.well-known' &&
    lower[3] === 'openid-configuration' &&
    method === 'GET'
  )
    return route('aad.openid', () => routing.entra.openIdConfiguration(parts[0]!));
  if (lower[1] === 'oauth2' && lower[2] === 'v2.0' && lower[3] === 'token' && method === 'POST')
    return route('aad.token', () =>
      routing.entra.token(parts[0]!, (request.body ?? {}) as Record<string, unknown>),
    );
  if (lower[0] !== 'subscriptions') return undefined;
  const subscription = parts[1] ?? '';
  // …/providers/Microsoft.Network/dnszones[/…] either under the subscription or under a resource group.
  const providerAt = lower.indexOf('providers');
  if (providerAt < 0 || lower[providerAt + 1] !== 'microsoft.network' || lower[providerAt + 2] !== 'dnszones')
    return undefined;
  const group = lower[2] === 'resourcegroups' && providerAt === 4 ? parts[3] : undefined;
  if (providerAt !== 2 && group === undefined) return undefined;
  const rest = parts.slice(providerAt + 3);
  const prepare = () => {
    checkApiVersion(request);
    if (subscription !== routing.store.subscriptionId)
      throw armError(404, 'SubscriptionNotFound', `The subscription '${subscription}' could not be found.`);
    if (group !== undefined && !routing.store.groupExists(group))
      throw armError(404, 'ResourceGroupNotFound', `Resource group '${group}' could not be found.`);
  };
  if (rest.length === 0 && method === 'GET')
    return route('zones.list', () => {
      prepare();
      const zones = routing.store.zones.filter(
        (zone) => group === undefined || zone.resourceGroup.toLowerCase() === group.toLowerCase(),
      );
      return page(
        routing,
        request,
        zones.map((zone) => zoneJson(routing, zone)),
      );
    });
  if (group === undefined || rest[1]?.toUpperCase() !== 'TXT') return undefined;
  const zoneOf = () => {
    prepare();
    return routing.store.zone(group, rest[0]!);
  };
  if (rest.length === 2 && method === 'GET')
    return route('recordsets.list', () => {
      const zone = zoneOf();
      const sets = [...zone.txt.values()].sort((a, b) => a.name.localeCompare(b.name));
      return page(
        routing,
        request,
        sets.map((set) => recordSetJson(routing, zone, set)),
      );
    });
  if (rest.length !== 3) return undefined;
  const name = rest[2]!.toLowerCase();
  const conditions = {
    ...(typeof request.headers['if-match'] === 'string' ? { ifMatch: request.headers['if-match'] } : {}),
    ...(typeof request.headers['if-none-match'] === 'string'
      ? { ifNoneMatch: request.headers['if-none-match'] }
      : {}),
  };
  if (method === 'GET')
    return route('recordsets.get', () => {
      const zone = zoneOf();
      const set = zone.txt.get(name);
      if (!set)
        throw armError(
          404,
          'NotFound',
          `The resource record '${name}' does not exist in resource group '${group}' of subscription '${subscription}'.`,
        );
      return { body: recordSetJson(routing, zone, set) };
    });
  if (method === 'PUT')
    return route('recordsets.put', () => {
      const zone = zoneOf();
      const { set, created } = routing.store.put(
        zone,
        name,
        (request.body ?? {}) as Record<string, unknown>,
        conditions,
      );
      routing.changed(zone, name);
      return { status: created ? 201 : 200, body: recordSetJson(routing, zone, set) };
    });
  if (method === 'DELETE')
    return route('recordsets.delete', () => {
      const zone = zoneOf();
      const deleted = routing.store.delete(zone, name, conditions);
      if (deleted) routing.changed(zone, name);
      return { status: deleted ? 200 : 204 };
    });
  return undefined;
}

function checkApiVersion(request: FakeApiRequest): void {
  const version = request.query.get('api-version');
  if (!version)
    throw armError(
      400,
      'MissingApiVersionParameter',
      'The api-version query parameter (?api-version=) is required for all requests.',
    );
  if (!DNS_API_VERSIONS.includes(version))
    throw armError(
      400,
      'InvalidApiVersionParameter',
      `The api-version '${version}' is invalid. The supported versions are '${DNS_API_VERSIONS.join(',')}'.`,
    );
}

function zoneId(routing: AzureRouting, zone: FakeAzureZone): string {
  return `/subscriptions/${routing.store.subscriptionId}/resourceGroups/${zone.resourceGroup}/providers/Microsoft.Network/dnszones/${zone.name}`;
}

function zoneJson(routing: AzureRouting, zone: FakeAzureZone) {
  return {
    id: zoneId(routing, zone),
    name: zone.name,
    type: 'Microsoft.Network/dnszones',
    etag: zone.etag,
    location: 'global',
    tags: {},
    properties: {
      maxNumberOfRecordSets: 10000,
      numberOfRecordSets: 2 + zone.txt.size,
      nameServers: [
        'ns1-01.azure-dns.com.',
        'ns2-01.azure-dns.net.',
        'ns3-01.azure-dns.org.',
        'ns4-01.azure-dns.info.',
      ],
      zoneType: zone.zoneType,
    },
  };
}

function recordSetJson(routing: AzureRouting, zone: FakeAzureZone, set: FakeAzureRecordSet) {
  return {
    id: `${zoneId(routing, zone)}/TXT/${set.name}`,
    name: set.name,
    type: 'Microsoft.Network/dnszones/TXT',
    etag: set.etag,
    properties: {
      metadata: {},
      TTL: set.ttl,
      fqdn: `${set.name === '@' ? '' : `${set.name}.`}${zone.name}.`,
      provisioningState: 'Succeeded',
      targetResource: {},
      TXTRecords: set.txtRecords,
    },
  };
}

/** `{ value, nextLink }` pages: `$top` (and `maxPerPage`) sizes them, `$skipToken` in the absolute `nextLink`. */
function page(routing: AzureRouting, request: FakeApiRequest, items: readonly unknown[]) {
  const top = request.query.has('$top') ? Number(request.query.get('$top')) : 100;
  const size = Math.max(1, Math.min(top, routing.maxPerPage ?? top));
  const skip = request.query.has('$skipToken')
    ? Number(Buffer.from(request.query.get('$skipToken')!, 'base64url').toString())
    : 0;
  if (!Number.isInteger(skip) || skip < 0)
    throw armError(400, 'InvalidSkipToken', 'The skip token is invalid.');
  const end = skip + size;
  const next = new URL(request.path, routing.origin());
  for (const [key, value] of request.query) next.searchParams.set(key, value);
  next.searchParams.set('$skipToken', Buffer.from(String(end)).toString('base64url'));
  return { body: { value: items.slice(skip, end), ...(end < items.length ? { nextLink: next.href } : {}) } };
}
