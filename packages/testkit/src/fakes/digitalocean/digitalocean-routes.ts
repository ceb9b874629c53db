import type { FakeApiAnswer, FakeApiRequest, FakeApiRoute } from '../json-api-fake.js';
import {
  type DigitalOceanStore,
  doError,
  type FakeDoDomain,
  type FakeDoRecord,
  fqdnOf,
  notFound,
} from './digitalocean-store.js';

export type DigitalOceanOperation =
  | 'domains.list'
  | 'domains.get'
  | 'records.list'
  | 'records.create'
  | 'records.delete';

/** The scope each operation needs (DigitalOcean custom-scoped tokens). */
export const SCOPE_OF: Record<DigitalOceanOperation, string> = {
  'domains.list': 'domain:read',
  'domains.get': 'domain:read',
  'records.list': 'domain:read',
  'records.create': 'domain:create',
  'records.delete': 'domain:delete',
};

export interface DigitalOceanRouting {
  readonly store: DigitalOceanStore;
  readonly origin: () => string;
  readonly maxPerPage: number | undefined;
  /** Called after a record of a domain changed (for the DNS mirror). */
  readonly touched: (domain: FakeDoDomain, fqdn: string) => void;
}

/** Routes `/v2/…` requests to the operations this fake serves. */
export function routeDigitalOcean(
  routing: DigitalOceanRouting,
  request: FakeApiRequest,
): FakeApiRoute<DigitalOceanOperation> | undefined {
  const parts = request.path.split('/').filter(Boolean);
  if (parts[0] !== 'v2' || parts[1] !== 'domains') return undefined;
  const { method } = request;
  const route = (operation: DigitalOceanOperation, handle: () => FakeApiAnswer) => ({ operation, handle });
  if (parts.length === 2 && method === 'GET')
    return route('domains.list', () => {
      const domains = [...routing.store.domains.values()].map((domain) => ({
        name: domain.name,
        ttl: domain.ttl,
        zone_file: null,
      }));
      return page(routing, request, 'domains', domains);
    });
  const name = decodeURIComponent(parts[2] ?? '').toLowerCase();
  if (parts.length === 3 && method === 'GET')
    return route('domains.get', () => {
      const domain = routing.store.domain(name);
      return { body: { domain: { name: domain.name, ttl: domain.ttl, zone_file: null } } };
    });
  if (parts[3] !== 'records' || parts.length > 5) return undefined;
  if (parts.length === 4 && method === 'GET')
    return route('records.list', () => {
      const domain = routing.store.domain(name);
      const type = request.query.get('type');
      const fqdn = request.query.get('name');
      const records = [...domain.records.values()].filter(
        (record) =>
          (type === null || record.type === type) &&
          (fqdn === null || fqdnOf(domain, record) === fqdn.toLowerCase()),
      );
      return page(routing, request, 'domain_records', records.map(recordJson));
    });
  if (parts.length === 4 && method === 'POST')
    return route('records.create', () => {
      const domain = routing.store.domain(name);
      const record = routing.store.create(domain, (request.body ?? {}) as Record<string, unknown>);
      routing.touched(domain, fqdnOf(domain, record));
      return { status: 201, body: { domain_record: recordJson(record) } };
    });
  if (parts.length === 5 && method === 'DELETE')
    return route('records.delete', () => {
      const domain = routing.store.domain(name);
      const record = domain.records.get(Number(parts[4]));
      if (!record) throw notFound();
      domain.records.delete(record.id);
      routing.touched(domain, fqdnOf(domain, record));
      return { status: 204 };
    });
  return undefined;
}

/** A page of a listing with `links.pages` (absolute URLs keeping the filters) and `meta.total`. */
function page(
  routing: DigitalOceanRouting,
  request: FakeApiRequest,
  field: string,
  items: readonly unknown[],
) {
  const pageNumber = request.query.has('page') ? Number(request.query.get('page')) : 1;
  const perPage = request.query.has('per_page') ? Number(request.query.get('per_page')) : 20;
  if (
    !Number.isInteger(pageNumber) ||
    pageNumber < 1 ||
    !Number.isInteger(perPage) ||
    perPage < 1 ||
    perPage > 200
  )
    throw doError(400, 'bad_request', 'per_page must be between 1 and 200');
  const size = Math.min(perPage, routing.maxPerPage ?? perPage);
  const last = Math.max(1, Math.ceil(items.length / size));
  const link = (target: number) => {
    const url = new URL(request.path, routing.origin());
    for (const [key, value] of request.query) url.searchParams.set(key, value);
    url.searchParams.set('page', String(target));
    url.searchParams.set('per_page', String(size));
    return url.href;
  };
  const pages: Record<string, string> = {};
  if (pageNumber > 1) Object.assign(pages, { first: link(1), prev: link(pageNumber - 1) });
  if (pageNumber < last) Object.assign(pages, { next: link(pageNumber + 1), last: link(last) });
  return {
    body: {
      [field]: items.slice((pageNumber - 1) * size, pageNumber * size),
      links: Object.keys(pages).length > 0 ? { pages } : {},
      meta: { total: items.length },
    },
  };
}

function recordJson(record: FakeDoRecord): Record<string, unknown> {
  return { ...record };
}
