import type { FakeApiAnswer, FakeApiRequest, FakeApiRoute } from '../json-api-fake.js';
import {
  type FakeLinodeDomain,
  type FakeLinodeRecord,
  fqdnOf,
  type LinodeStore,
  linodeError,
  notFound,
} from './linode-store.js';

export type LinodeOperation =
  | 'domains.list'
  | 'domains.get'
  | 'records.list'
  | 'records.create'
  | 'records.delete';

/** Whether an operation writes (needs `domains:read_write`) or reads (`domains:read_only` is enough). */
export const WRITES: Record<LinodeOperation, boolean> = {
  'domains.list': false,
  'domains.get': false,
  'records.list': false,
  'records.create': true,
  'records.delete': true,
};

export interface LinodeRouting {
  readonly store: LinodeStore;
  readonly maxPerPage: number | undefined;
  /** Called after a record of a domain changed (for the DNS mirror). */
  readonly touched: (domain: FakeLinodeDomain, fqdn: string) => void;
}

/** Routes `/v4/domains…` requests to the operations this fake serves. */
export function routeLinode(
  routing: LinodeRouting,
  request: FakeApiRequest,
): FakeApiRoute<LinodeOperation> | undefined {
  const parts = request.path.split('/').filter(Boolean);
  if (parts[0] !== 'v4' || parts[1] !== 'domains') return undefined;
  const { method } = request;
  const route = (operation: LinodeOperation, handle: () => FakeApiAnswer) => ({ operation, handle });
  if (parts.length === 2 && method === 'GET')
    return route('domains.list', () => {
      const filter = xFilter(request);
      const domains = [...routing.store.domains.values()]
        .filter(
          (domain) => filter.domain === undefined || domain.domain === String(filter.domain).toLowerCase(),
        )
        .map(domainJson);
      return page(routing, request, domains);
    });
  const domainId = Number(parts[2]);
  // Domain ids are numbers: a name in their place is a 404, as on the real API.
  const domainOf = () => (Number.isInteger(domainId) ? routing.store.domain(domainId) : undefined);
  if (parts.length === 3 && method === 'GET')
    return route('domains.get', () => {
      const domain = domainOf();
      if (!domain) throw notFound();
      return { body: domainJson(domain) };
    });
  if (parts[3] !== 'records' || parts.length > 5) return undefined;
  if (parts.length === 4 && method === 'GET')
    return route('records.list', () => {
      const domain = domainOf();
      if (!domain) throw notFound();
      return page(routing, request, [...domain.records.values()]);
    });
  if (parts.length === 4 && method === 'POST')
    return route('records.create', () => {
      const domain = domainOf();
      if (!domain) throw notFound();
      const record = routing.store.create(domain, (request.body ?? {}) as Record<string, unknown>);
      routing.touched(domain, fqdnOf(domain, record));
      return { body: record };
    });
  if (parts.length === 5 && method === 'DELETE')
    return route('records.delete', () => {
      const domain = domainOf();
      const record: FakeLinodeRecord | undefined = domain?.records.get(Number(parts[4]));
      if (!domain || !record) throw notFound();
      domain.records.delete(record.id);
      routing.touched(domain, fqdnOf(domain, record));
      return { body: {} };
    });
  return undefined;
}

/** The `X-Filter` header (JSON): only `domain` is filterable here; another key is refused as the API does. */
function xFilter(request: FakeApiRequest): Record<string, unknown> {
  const header = request.headers['x-filter'];
  if (header === undefined) return {};
  let filter: unknown;
  try {
    filter = JSON.parse(String(header));
  } catch {
    throw linodeError(400, 'The filter is not valid JSON', 'X-Filter');
  }
  if (typeof filter !== 'object' || filter === null) throw linodeError(400, 'Invalid filter', 'X-Filter');
  for (const key of Object.keys(filter))
    if (key !== 'domain') throw linodeError(400, `Cannot filter on ${key}`, 'X-Filter');
  return filter as Record<string, unknown>;
}

/** A page of a listing: `page` (from 1), `page_size` 25 to 500 (default 100), answer `{ data, page, pages, results }`. */
function page(routing: LinodeRouting, request: FakeApiRequest, items: readonly unknown[]) {
  const pageNumber = request.query.has('page') ? Number(request.query.get('page')) : 1;
  const pageSize = request.query.has('page_size') ? Number(request.query.get('page_size')) : 100;
  if (!Number.isInteger(pageNumber) || pageNumber < 1)
    throw linodeError(400, 'page must be a positive integer', 'page');
  if (!Number.isInteger(pageSize) || pageSize < 25 || pageSize > 500)
    throw linodeError(400, 'Must be 25-500', 'page_size');
  const size = Math.min(pageSize, routing.maxPerPage ?? pageSize);
  const pages = Math.max(1, Math.ceil(items.length / size));
  if (pageNumber > pages) throw linodeError(400, `Page ${pageNumber} does not exist`, 'page');
  return {
    body: {
      data: items.slice((pageNumber - 1) * size, pageNumber * size),
      page: pageNumber,
      pages,
      results: items.length,
    },
  };
}

function domainJson(domain: FakeLinodeDomain) {
  return {
    id: domain.id,
    domain: domain.domain,
    type: domain.type,
    status: 'active',
    soa_email: `hostmaster@${domain.domain}`,
    ttl_sec: 0,
    tags: [],
  };
}
