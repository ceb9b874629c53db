import { presentContent } from './cloudflare-content.js';
import {
  CloudflareFault,
  type CloudflareStore,
  type FakeCloudflareZone,
  type FakeDnsRecord,
} from './cloudflare-store.js';

export type CloudflareOperation =
  | 'zones.list'
  | 'zones.get'
  | 'dns_records.list'
  | 'dns_records.get'
  | 'dns_records.create'
  | 'dns_records.delete';

export type CloudflarePermission = 'Zone:Read' | 'DNS:Read' | 'DNS:Edit';

/** An API token the fake accepts, scoped like a Cloudflare user API token. */
export interface FakeCloudflareToken {
  readonly token: string;
  /** Default: all three. */
  readonly permissions?: readonly CloudflarePermission[];
  /** Zone names the token's resources include; default all zones. */
  readonly zones?: readonly string[];
}

export interface CloudflareRequest {
  readonly method: string;
  /** Path below `/client/v4`. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
  readonly token: FakeCloudflareToken;
  readonly maxPerPage: number | undefined;
}

export interface CloudflareResult {
  readonly body: Record<string, unknown>;
  /** Names whose TXT values changed (for the DNS mirror). */
  readonly touched?: { readonly zone: FakeCloudflareZone; readonly name: string };
}

const ID = /^[0-9a-f]{32}$/;

/** The v4 envelope every answer is wrapped in. */
export function envelope(result: unknown, resultInfo?: Record<string, number>): Record<string, unknown> {
  return {
    success: true,
    errors: [],
    messages: [],
    result,
    ...(resultInfo ? { result_info: resultInfo } : {}),
  };
}

export function errorEnvelope(fault: CloudflareFault): Record<string, unknown> {
  return { success: false, errors: fault.errors, messages: [], result: null };
}

/** Routes one authenticated request; `enter` names the operation first (for logging and injected errors). */
export function handleCloudflare(
  store: CloudflareStore,
  request: CloudflareRequest,
  enter: (operation: CloudflareOperation) => void,
): CloudflareResult {
  const { method, path } = request;
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'zones' && parts.length === 1 && method === 'GET') {
    enter('zones.list');
    return listZones(store, request);
  }
  if (parts[0] !== 'zones' || parts.length < 2) throw noRoute(path);
  const zone = zoneFor(store, parts[1]!, path);
  if (parts.length === 2 && method === 'GET') {
    enter('zones.get');
    demand(request, zone, 'Zone:Read');
    return { body: envelope(zoneJson(zone)) };
  }
  if (parts[2] !== 'dns_records' || parts.length > 4) throw noRoute(path);
  if (parts.length === 3 && method === 'GET') {
    enter('dns_records.list');
    demand(request, zone, 'DNS:Read');
    return listRecords(store, zone, request);
  }
  if (parts.length === 3 && method === 'POST') {
    enter('dns_records.create');
    demand(request, zone, 'DNS:Edit');
    const record = store.create(zone, (request.body ?? {}) as Record<string, unknown>);
    // The POST answer echoes content as sent; reads return it quoted.
    return { body: envelope(recordJson(record, zone, false)), touched: { zone, name: record.name } };
  }
  const recordId = parts[3]!;
  const record = store.records.get(recordId);
  if (method === 'GET' || method === 'DELETE') {
    enter(method === 'GET' ? 'dns_records.get' : 'dns_records.delete');
    demand(request, zone, method === 'GET' ? 'DNS:Read' : 'DNS:Edit');
    if (!ID.test(recordId)) throw noRoute(path);
    if (!record || record.zoneId !== zone.id)
      throw new CloudflareFault(404, [{ code: 81044, message: 'Record does not exist.' }]);
    if (method === 'GET') return { body: envelope(recordJson(record, zone, true)) };
    store.records.delete(record.id);
    return { body: envelope({ id: record.id }), touched: { zone, name: record.name } };
  }
  throw noRoute(path);
}

function listZones(store: CloudflareStore, request: CloudflareRequest): CloudflareResult {
  const { query } = request;
  const name = query.get('name') ?? undefined;
  const status = query.get('status') ?? undefined;
  const accountId = query.get('account.id') ?? undefined;
  // Zones outside the token's resources, or without Zone:Read, are simply not listed.
  const zones = [...store.zones.values()].filter(
    (zone) =>
      allows(request.token, zone, 'Zone:Read') &&
      (name === undefined || zone.name === name.toLowerCase()) &&
      (status === undefined || zone.status === status) &&
      (accountId === undefined || zone.account.id === accountId),
  );
  return page(zones.map(zoneJson), query, { min: 5, max: 50, fallback: 20 }, request.maxPerPage);
}

function listRecords(
  store: CloudflareStore,
  zone: FakeCloudflareZone,
  request: CloudflareRequest,
): CloudflareResult {
  const { query } = request;
  const filters: ((record: FakeDnsRecord) => boolean)[] = [];
  const type = query.get('type');
  if (type) filters.push((record) => record.type === type);
  for (const field of ['name', 'content'] as const) {
    const read = (record: FakeDnsRecord) => (field === 'name' ? record.name : presentContent(record.content));
    const exact = query.get(`${field}.exact`) ?? query.get(field);
    const contains = query.get(`${field}.contains`);
    const startsWith = query.get(`${field}.startswith`);
    const endsWith = query.get(`${field}.endswith`);
    if (exact !== null)
      filters.push((record) => read(record) === exact || (field === 'content' && record.content === exact));
    if (contains !== null) filters.push((record) => read(record).includes(contains));
    if (startsWith !== null) filters.push((record) => read(record).startsWith(startsWith));
    if (endsWith !== null) filters.push((record) => read(record).endsWith(endsWith));
  }
  const any = query.get('match') === 'any';
  const records = store
    .recordsOf(zone.id)
    .filter(
      (record) =>
        filters.length === 0 || (any ? filters.some((f) => f(record)) : filters.every((f) => f(record))),
    );
  return page(
    records.map((record) => recordJson(record, zone, true)),
    query,
    { min: 5, max: 5_000_000, fallback: 100 },
    request.maxPerPage,
  );
}

function page(
  items: readonly unknown[],
  query: URLSearchParams,
  limits: { min: number; max: number; fallback: number },
  cap: number | undefined,
): CloudflareResult {
  const pageNumber = query.has('page') ? Number(query.get('page')) : 1;
  const perPage = query.has('per_page') ? Number(query.get('per_page')) : limits.fallback;
  if (!Number.isInteger(pageNumber) || pageNumber < 1)
    throw new CloudflareFault(400, [{ code: 1001, message: 'page must be a positive integer' }]);
  if (!Number.isInteger(perPage) || perPage < limits.min || perPage > limits.max)
    throw new CloudflareFault(400, [
      { code: 1001, message: `per_page must be between ${limits.min} and ${limits.max}` },
    ]);
  const size = Math.min(perPage, cap ?? perPage);
  const slice = items.slice((pageNumber - 1) * size, pageNumber * size);
  return {
    body: envelope(slice, {
      page: pageNumber,
      per_page: size,
      count: slice.length,
      total_count: items.length,
      total_pages: Math.ceil(items.length / size),
    }),
  };
}

function zoneFor(store: CloudflareStore, id: string, path: string): FakeCloudflareZone {
  const zone = store.zones.get(id);
  if (!ID.test(id) || !zone) throw noRoute(path);
  return zone;
}

function allows(
  token: FakeCloudflareToken,
  zone: FakeCloudflareZone,
  permission: CloudflarePermission,
): boolean {
  const permissions = token.permissions ?? ['Zone:Read', 'DNS:Read', 'DNS:Edit'];
  const granted =
    permissions.includes(permission) || (permission === 'DNS:Read' && permissions.includes('DNS:Edit'));
  return granted && (token.zones === undefined || token.zones.includes(zone.name));
}

function demand(
  request: CloudflareRequest,
  zone: FakeCloudflareZone,
  permission: CloudflarePermission,
): void {
  if (!allows(request.token, zone, permission))
    throw new CloudflareFault(403, [{ code: 10000, message: 'Authentication error' }]);
}

function noRoute(path: string): CloudflareFault {
  return new CloudflareFault(400, [
    {
      code: 7003,
      message: `Could not route to /client/v4${path}, perhaps your object identifier is invalid?`,
    },
    { code: 7000, message: 'No route for that URI' },
  ]);
}

function zoneJson(zone: FakeCloudflareZone): Record<string, unknown> {
  return {
    id: zone.id,
    name: zone.name,
    status: zone.status,
    paused: false,
    type: 'full',
    development_mode: 0,
    name_servers: ['ns1.fake-cloudflare.test', 'ns2.fake-cloudflare.test'],
    original_name_servers: null,
    original_registrar: null,
    original_dnshost: null,
    created_on: zone.createdOn,
    modified_on: zone.createdOn,
    activated_on: zone.createdOn,
    account: zone.account,
    owner: { id: null, name: null, type: 'user' },
    permissions: ['#dns_records:edit', '#dns_records:read', '#zone:read'],
    plan: {
      id: '0feeeeeeeeeeeeeeeeeeeeeeeeeeeeee',
      name: 'Free Website',
      price: 0,
      currency: 'USD',
      frequency: '',
      is_subscribed: false,
      can_subscribe: false,
      legacy_id: 'free',
      legacy_discount: false,
      externally_managed: false,
    },
    meta: { step: 2, custom_certificate_quota: 0, page_rule_quota: 3, phishing_detected: false },
  };
}

function recordJson(record: FakeDnsRecord, zone: FakeCloudflareZone, read: boolean): Record<string, unknown> {
  return {
    id: record.id,
    zone_id: zone.id,
    zone_name: zone.name,
    name: record.name,
    type: record.type,
    content: read && record.type === 'TXT' ? presentContent(record.content) : record.content,
    proxiable: false,
    proxied: record.proxied,
    ttl: record.ttl,
    settings: {},
    meta: {},
    comment: record.comment,
    tags: [],
    created_on: record.createdOn,
    modified_on: record.modifiedOn,
  };
}
