import type { FakeApiAnswer, FakeApiRequest, FakeApiRoute } from '../json-api-fake.js';
import {
  type FakeGandiDomain,
  type FakeGandiRrset,
  type GandiStore,
  gandiError,
  notFound,
  presentValue,
} from './gandi-store.js';

export type GandiOperation =
  | 'domains.list'
  | 'domains.get'
  | 'records.list'
  | 'records.get'
  | 'records.put'
  | 'records.delete';

export interface GandiRouting {
  readonly store: GandiStore;
  readonly origin: () => string;
  readonly maxPerPage: number | undefined;
  /** Domains the caller's token may see; undefined: all. */
  readonly visible: (fqdn: string) => boolean;
  readonly touched: (domain: FakeGandiDomain, name: string) => void;
}

/** Routes `/v5/livedns/…` requests to the operations this fake serves. */
export function routeGandi(
  routing: GandiRouting,
  request: FakeApiRequest,
): FakeApiRoute<GandiOperation> | undefined {
  const parts = request.path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== 'v5' || parts[1] !== 'livedns' || parts[2] !== 'domains') return undefined;
  const { method, query } = request;
  const route = (operation: GandiOperation, handle: () => FakeApiAnswer) => ({ operation, handle });
  const domainOf = (fqdn: string) => {
    const domain = routing.store.domain(fqdn);
    if (!routing.visible(domain.fqdn)) throw gandiError(403, 'Access was denied to this resource.');
    return domain;
  };
  if (parts.length === 3 && method === 'GET')
    return route('domains.list', () =>
      page(
        routing,
        request,
        [...routing.store.domains.values()]
          .filter((domain) => routing.visible(domain.fqdn))
          .map((domain) => domainJson(routing, domain)),
      ),
    );
  if (parts.length === 4 && method === 'GET')
    return route('domains.get', () => ({ body: domainJson(routing, domainOf(parts[3]!)) }));
  if (parts[4] !== 'records') return undefined;
  if (parts.length === 5 && method === 'GET')
    return route('records.list', () => {
      const domain = domainOf(parts[3]!);
      const type = query.get('rrset_type');
      const name = query.get('rrset_name');
      const sets = [...domain.rrsets.values()].filter(
        (set) => (type === null || set.type === type) && (name === null || set.name === name),
      );
      return page(
        routing,
        request,
        sets.map((set) => rrsetJson(routing, domain, set)),
      );
    });
  if (parts.length !== 7) return undefined;
  const [name, type] = [parts[5]!.toLowerCase(), parts[6]!];
  if (method === 'GET')
    return route('records.get', () => {
      const domain = domainOf(parts[3]!);
      const set = domain.rrsets.get(`${name}/${type}`);
      if (!set) throw notFound();
      return { body: rrsetJson(routing, domain, set) };
    });
  if (method === 'PUT')
    return route('records.put', () => {
      const domain = domainOf(parts[3]!);
      routing.store.put(domain, name, type, request.body);
      routing.touched(domain, name);
      return { status: 201, body: { message: 'DNS Record Created' } };
    });
  if (method === 'DELETE')
    return route('records.delete', () => {
      const domain = domainOf(parts[3]!);
      if (!domain.rrsets.delete(`${name}/${type}`)) throw notFound();
      routing.touched(domain, name);
      return { status: 204 };
    });
  return undefined;
}

/** `page` / `per_page` (default 100) with the total in `Total-Count`. */
function page(routing: GandiRouting, request: FakeApiRequest, items: readonly unknown[]): FakeApiAnswer {
  const pageNumber = request.query.has('page') ? Number(request.query.get('page')) : 1;
  const perPage = request.query.has('per_page') ? Number(request.query.get('per_page')) : 100;
  if (!Number.isInteger(pageNumber) || pageNumber < 1 || !Number.isInteger(perPage) || perPage < 1)
    throw gandiError(400, 'Bad Request', [
      { location: 'query', name: 'per_page', description: 'must be a positive integer' },
    ]);
  const size = Math.min(perPage, routing.maxPerPage ?? perPage);
  return {
    body: items.slice((pageNumber - 1) * size, pageNumber * size),
    headers: { 'total-count': String(items.length) },
  };
}

function domainJson(routing: GandiRouting, domain: FakeGandiDomain) {
  const href = `${routing.origin()}/v5/livedns/domains/${domain.fqdn}`;
  return {
    fqdn: domain.fqdn,
    domain_href: href,
    domain_keys_href: `${href}/keys`,
    domain_records_href: `${href}/records`,
    automatic_snapshots: true,
  };
}

function rrsetJson(routing: GandiRouting, domain: FakeGandiDomain, set: FakeGandiRrset) {
  return {
    rrset_name: set.name,
    rrset_type: set.type,
    rrset_ttl: set.ttl,
    rrset_values: set.values.map((value) => presentValue(set.type, value)),
    rrset_href: `${routing.origin()}/v5/livedns/domains/${domain.fqdn}/records/${set.name}/${set.type}`,
  };
}
