import type { FakeApiAnswer, FakeApiRequest, FakeApiRoute } from '../json-api-fake.js';
import {
  type DnsimpleStore,
  dnsimpleError,
  type FakeDnsimpleRecord,
  type FakeDnsimpleZone,
  fqdnOf,
} from './dnsimple-store.js';

export type DnsimpleOperation =
  | 'whoami'
  | 'zones.list'
  | 'zones.get'
  | 'records.list'
  | 'records.create'
  | 'records.delete';

export interface DnsimpleRouting {
  readonly store: DnsimpleStore;
  readonly maxPerPage: number | undefined;
  /** The account a request's token belongs to (set by authentication), or undefined for a user token. */
  readonly whoami: (request: FakeApiRequest) => {
    account?: { id: number; email: string };
    user?: { id: number; email: string };
  };
  /** Called after a record of a zone changed (for the DNS mirror). */
  readonly touched: (zone: FakeDnsimpleZone, fqdn: string) => void;
}

/** Routes `/v2/…` requests to the operations this fake serves. */
export function routeDnsimple(
  routing: DnsimpleRouting,
  request: FakeApiRequest,
): FakeApiRoute<DnsimpleOperation> | undefined {
  const parts = request.path.split('/').filter(Boolean);
  if (parts[0] !== 'v2') return undefined;
  const { method } = request;
  const route = (operation: DnsimpleOperation, handle: () => FakeApiAnswer) => ({ operation, handle });
  if (parts.length === 2 && parts[1] === 'whoami' && method === 'GET')
    return route('whoami', () => {
      const who = routing.whoami(request);
      return { body: { data: { account: who.account ?? null, user: who.user ?? null } } };
    });
  const account = Number(parts[1]);
  if (!Number.isInteger(account) || parts[2] !== 'zones') return undefined;
  if (parts.length === 3 && method === 'GET')
    return route('zones.list', () => {
      const zones = [...routing.store.zones.values()]
        .filter((zone) => zone.account_id === account)
        .map(zoneJson);
      return page(routing, request, zones);
    });
  const zoneName = decodeURIComponent(parts[3] ?? '');
  if (parts.length === 4 && method === 'GET')
    return route('zones.get', () => ({ body: { data: zoneJson(routing.store.zone(account, zoneName)) } }));
  if (parts[4] !== 'records' || parts.length > 6) return undefined;
  if (parts.length === 5 && method === 'GET')
    return route('records.list', () => {
      const zone = routing.store.zone(account, zoneName);
      const name = request.query.get('name');
      const nameLike = request.query.get('name_like');
      const type = request.query.get('type');
      const records = [...zone.records.values()].filter(
        (record) =>
          (name === null || record.name === name.toLowerCase()) &&
          (nameLike === null || record.name.includes(nameLike.toLowerCase())) &&
          (type === null || record.type === type.toUpperCase()),
      );
      return page(routing, request, records);
    });
  if (parts.length === 5 && method === 'POST')
    return route('records.create', () => {
      const zone = routing.store.zone(account, zoneName);
      const record = routing.store.create(zone, (request.body ?? {}) as Record<string, unknown>);
      routing.touched(zone, fqdnOf(zone, record));
      return { status: 201, body: { data: record } };
    });
  if (parts.length === 6 && method === 'DELETE')
    return route('records.delete', () => {
      const zone = routing.store.zone(account, zoneName);
      const record: FakeDnsimpleRecord | undefined = zone.records.get(Number(parts[5]));
      if (!record) throw dnsimpleError(404, `Record \`${parts[5]}\` not found`);
      if (record.system_record) throw dnsimpleError(400, 'System records cannot be deleted');
      zone.records.delete(record.id);
      routing.touched(zone, fqdnOf(zone, record));
      return { status: 204 };
    });
  return undefined;
}

/** A page of a listing: `page` (from 1) and `per_page` (1–100, default 30), answer `{ data, pagination }`. */
function page(routing: DnsimpleRouting, request: FakeApiRequest, items: readonly unknown[]) {
  const pageNumber = request.query.has('page') ? Number(request.query.get('page')) : 1;
  const perPage = request.query.has('per_page') ? Number(request.query.get('per_page')) : 30;
  if (
    !Number.isInteger(pageNumber) ||
    pageNumber < 1 ||
    !Number.isInteger(perPage) ||
    perPage < 1 ||
    perPage > 100
  )
    throw dnsimpleError(400, 'Invalid pagination parameters', { per_page: ['must be between 1 and 100'] });
  const size = Math.min(perPage, routing.maxPerPage ?? perPage);
  return {
    body: {
      data: items.slice((pageNumber - 1) * size, pageNumber * size),
      pagination: {
        current_page: pageNumber,
        per_page: size,
        total_entries: items.length,
        total_pages: Math.max(1, Math.ceil(items.length / size)),
      },
    },
  };
}

function zoneJson(zone: FakeDnsimpleZone) {
  return {
    id: zone.id,
    account_id: zone.account_id,
    name: zone.name,
    reverse: false,
    secondary: false,
    last_transferred_at: null,
    active: true,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
  };
}
