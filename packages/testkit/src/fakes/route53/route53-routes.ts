import { canonicalName, sortKey } from './route53-names.js';
import { type FakeHostedZone, Route53Fault, type Route53Store } from './route53-store.js';
import { changeInfoXml, document, hostedZoneXml, parseChangeBatch, recordSetXml } from './route53-xml.js';
import type { FakeAwsCredential } from './sigv4-verifier.js';
import type { Route53Operation } from './start-fake-route53.js';

export interface Route53RequestContext {
  readonly store: Route53Store;
  readonly method: string;
  readonly url: URL;
  readonly body: string;
  readonly credential: FakeAwsCredential;
  readonly maxPageSize: number | undefined;
}

export interface Route53Result {
  readonly xml: string;
  /** Set when a change batch was accepted (the server schedules its INSYNC). */
  readonly changeId?: string;
}

const PREFIX = '/2013-04-01';

/**
 * Routes one authenticated request. `enter` is called with the operation before any work, so the server can log
 * it and inject errors the way the service throttles: after authentication, before validation.
 */
export function handleRoute53(
  context: Route53RequestContext,
  enter: (operation: Route53Operation) => void,
): Route53Result {
  const { method, url } = context;
  const path = url.pathname.replace(/\/$/, '');
  const rrset = new RegExp(`^${PREFIX}/hostedzone/([^/]+)/rrset$`).exec(path);
  const zone = new RegExp(`^${PREFIX}/hostedzone/([^/]+)$`).exec(path);
  const change = new RegExp(`^${PREFIX}/change/([^/]+)$`).exec(path);
  if (method === 'GET' && path === `${PREFIX}/hostedzone`) {
    enter('ListHostedZones');
    return listHostedZones(context);
  }
  if (method === 'GET' && path === `${PREFIX}/hostedzonesbyname`) {
    enter('ListHostedZonesByName');
    return listHostedZonesByName(context);
  }
  if (rrset && method === 'GET') {
    enter('ListResourceRecordSets');
    return listResourceRecordSets(context, decodeURIComponent(rrset[1]!));
  }
  if (rrset && method === 'POST') {
    enter('ChangeResourceRecordSets');
    return changeResourceRecordSets(context, decodeURIComponent(rrset[1]!));
  }
  if (zone && method === 'GET') {
    enter('GetHostedZone');
    const hosted = zoneFor(context, 'route53:GetHostedZone', decodeURIComponent(zone[1]!));
    return {
      xml: document('GetHostedZoneResponse', {
        HostedZone: hostedZoneXml(hosted),
        DelegationSet: { NameServers: { NameServer: ['ns-1.awsdns-fake.test', 'ns-2.awsdns-fake.test'] } },
      }),
    };
  }
  if (change && method === 'GET') {
    enter('GetChange');
    const id = decodeURIComponent(change[1]!).replace(/^\/?change\//, '');
    authorize(context.credential, 'route53:GetChange', `change/${id}`);
    const found = context.store.changes.get(id);
    if (!found)
      throw new Route53Fault(404, 'NoSuchChange', 'A change with the specified change ID does not exist.');
    return { xml: document('GetChangeResponse', { ChangeInfo: changeInfoXml(found) }) };
  }
  throw new Route53Fault(404, 'UnknownOperationException', `No operation matches ${method} ${url.pathname}`);
}

function listHostedZones(context: Route53RequestContext): Route53Result {
  authorize(context.credential, 'route53:ListHostedZones', '*');
  const zones = [...context.store.zones.values()];
  const marker = context.url.searchParams.get('marker') ?? undefined;
  const max = pageSize(context, 'maxitems', 100);
  const start = marker === undefined ? 0 : zones.findIndex((zone) => zone.id === marker);
  if (start < 0)
    throw new Route53Fault(400, 'InvalidInput', `The marker ${marker} does not match any hosted zone.`);
  const page = zones.slice(start, start + max);
  const next = zones[start + max];
  return {
    xml: document('ListHostedZonesResponse', {
      HostedZones: { HostedZone: page.map(hostedZoneXml) },
      ...(marker ? { Marker: marker } : { Marker: '' }),
      IsTruncated: String(next !== undefined),
      ...(next ? { NextMarker: next.id } : {}),
      MaxItems: max,
    }),
  };
}

function listHostedZonesByName(context: Route53RequestContext): Route53Result {
  authorize(context.credential, 'route53:ListHostedZonesByName', '*');
  const params = context.url.searchParams;
  const dnsName = params.get('dnsname') ?? undefined;
  const hostedZoneId = params.get('hostedzoneid') ?? undefined;
  if (hostedZoneId && !dnsName) throw new Route53Fault(400, 'InvalidInput', 'HostedZoneId requires DNSName.');
  const max = pageSize(context, 'maxitems', 100);
  const zones = context.store.zonesByName();
  const startKey = dnsName ? sortKey(canonicalName(dnsName)) : '';
  const start = zones.findIndex((zone) => {
    const key = sortKey(zone.name);
    return key > startKey || (key === startKey && (!hostedZoneId || zone.id >= hostedZoneId));
  });
  const from = start < 0 ? zones.length : start;
  const page = zones.slice(from, from + max);
  const next = zones[from + max];
  return {
    xml: document('ListHostedZonesByNameResponse', {
      HostedZones: { HostedZone: page.map(hostedZoneXml) },
      ...(dnsName ? { DNSName: dnsName } : {}),
      ...(hostedZoneId ? { HostedZoneId: hostedZoneId } : {}),
      IsTruncated: String(next !== undefined),
      ...(next ? { NextDNSName: next.name, NextHostedZoneId: next.id } : {}),
      MaxItems: max,
    }),
  };
}

function listResourceRecordSets(context: Route53RequestContext, zoneId: string): Route53Result {
  const zone = zoneFor(context, 'route53:ListResourceRecordSets', zoneId);
  const params = context.url.searchParams;
  const name = params.get('name') ?? undefined;
  const type = params.get('type') ?? undefined;
  if (type && !name)
    throw new Route53Fault(
      400,
      'InvalidInput',
      'The input is not valid: StartRecordType requires StartRecordName.',
    );
  const max = pageSize(context, 'maxitems', 300);
  const sets = context.store.sortedSets(zone);
  const startKey = name ? sortKey(canonicalName(name)) : '';
  const start = sets.findIndex((set) => {
    const key = sortKey(set.name);
    return key > startKey || (key === startKey && (!type || set.type >= type));
  });
  const from = start < 0 ? sets.length : start;
  const page = sets.slice(from, from + max);
  const next = sets[from + max];
  return {
    xml: document('ListResourceRecordSetsResponse', {
      ResourceRecordSets: { ResourceRecordSet: page.map(recordSetXml) },
      IsTruncated: String(next !== undefined),
      ...(next ? { NextRecordName: next.name, NextRecordType: next.type } : {}),
      MaxItems: max,
    }),
  };
}

function changeResourceRecordSets(context: Route53RequestContext, zoneId: string): Route53Result {
  const zone = zoneFor(context, 'route53:ChangeResourceRecordSets', zoneId);
  const batch = parseChangeBatch(context.body);
  const policy = context.credential.policy;
  for (const change of batch.changes) {
    // IAM condition keys route53:ChangeResourceRecordSetsNormalizedRecordNames / RecordTypes (ForAllValues).
    const normalized = canonicalName(change.name ?? '').replace(/\.$/, '');
    const nameAllowed =
      !policy?.recordNames || policy.recordNames.some((pattern) => like(normalized, pattern));
    const typeAllowed = !policy?.recordTypes || policy.recordTypes.includes(change.type ?? '');
    if (!nameAllowed || !typeAllowed) denied('route53:ChangeResourceRecordSets', `hostedzone/${zone.id}`);
  }
  const change = context.store.applyBatch(zone, batch.changes, batch.comment);
  return {
    xml: document('ChangeResourceRecordSetsResponse', { ChangeInfo: changeInfoXml(change) }),
    changeId: change.id,
  };
}

function zoneFor(context: Route53RequestContext, action: string, zoneId: string): FakeHostedZone {
  const id = zoneId.replace(/^\/?hostedzone\//, '');
  authorize(context.credential, action, `hostedzone/${id}`);
  return context.store.zone(id);
}

function pageSize(context: Route53RequestContext, param: string, serviceMax: number): number {
  const raw = context.url.searchParams.get(param);
  if (raw !== null && !/^\d+$/.test(raw))
    throw new Route53Fault(400, 'InvalidInput', `The value of ${param} must be an integer.`);
  const asked = raw === null ? serviceMax : Math.max(1, Math.min(serviceMax, Number(raw)));
  return Math.min(asked, context.maxPageSize ?? serviceMax);
}

function authorize(credential: FakeAwsCredential, action: string, resource: string): void {
  const policy = credential.policy;
  if (!policy) return;
  const zoneScoped = resource.startsWith('hostedzone/');
  const zoneAllowed =
    !zoneScoped ||
    !policy.hostedZoneIds ||
    policy.hostedZoneIds.includes(resource.slice('hostedzone/'.length));
  if (!policy.actions.includes(action) || !zoneAllowed) denied(action, resource);
}

function denied(action: string, resource: string): never {
  throw new Route53Fault(
    403,
    'AccessDenied',
    `User: arn:aws:iam::123456789012:user/certkeeper-test is not authorized to perform: ${action} on resource: arn:aws:route53:::${resource}`,
  );
}

/** IAM `StringLike`: `*` matches any run of characters, `?` one character. */
function like(value: string, pattern: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`).test(value);
}
