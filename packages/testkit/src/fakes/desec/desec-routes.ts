import type { FakeApiAnswer, FakeApiRequest, FakeApiRoute } from '../json-api-fake.js';
import {
  type DesecStore,
  drfError,
  type FakeDesecDomain,
  type FakeDesecRrset,
  notFound,
} from './desec-store.js';

export type DesecOperation =
  | 'domains.list'
  | 'domains.get'
  | 'rrsets.list'
  | 'rrsets.get'
  | 'rrsets.bulk_patch';

export interface DesecRouting {
  readonly store: DesecStore;
  readonly origin: () => string;
  /** Items per page once pagination is required (deSEC: 500). */
  readonly pageSize: number;
  /** Charged before a read (the account's `dns_api_cheap` budget) and before a write (`…per_domain_expensive`). */
  readonly charge: (kind: 'read' | 'write', domain?: string) => void;
  /** Called after RRsets changed (for the DNS mirror). */
  readonly touched: (domain: FakeDesecDomain, subnames: readonly string[]) => void;
}

/** Routes `/api/v1/…` requests to the operations this fake serves. */
export function routeDesec(
  routing: DesecRouting,
  request: FakeApiRequest,
): FakeApiRoute<DesecOperation> | undefined {
  const parts = request.path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== 'api' || parts[1] !== 'v1' || parts[2] !== 'domains' || !request.path.endsWith('/'))
    return undefined;
  const { method, query } = request;
  const { store } = routing;
  const route = (operation: DesecOperation, handle: () => FakeApiAnswer) => ({ operation, handle });
  if (parts.length === 3 && method === 'GET')
    return route('domains.list', () => {
      routing.charge('read');
      const qname = query.get('owns_qname');
      const owner = qname === null ? undefined : store.owner(qname);
      const domains = qname === null ? [...store.domains.values()] : owner ? [owner] : [];
      return paged(routing, request, domains.map(domainJson));
    });
  const domainName = parts[3]!;
  if (parts.length === 4 && method === 'GET')
    return route('domains.get', () => {
      routing.charge('read');
      return { body: domainJson(store.domain(domainName)) };
    });
  if (parts[4] !== 'rrsets') return undefined;
  if (parts.length === 5 && method === 'GET')
    return route('rrsets.list', () => {
      routing.charge('read');
      const domain = store.domain(domainName);
      const type = query.get('type');
      const subname = query.get('subname');
      const sets = [...domain.rrsets.values()]
        .filter(
          (set) => (type === null || set.type === type) && (subname === null || set.subname === subname),
        )
        .reverse(); // newest first, as deSEC lists them
      return paged(
        routing,
        request,
        sets.map((set) => rrsetJson(domain, set)),
      );
    });
  if (parts.length === 5 && method === 'PATCH')
    return route('rrsets.bulk_patch', () => {
      const domain = store.domain(domainName);
      routing.charge('write', domain.name);
      const written = store.patch(domain, request.body);
      const subnames = (request.body as { subname?: unknown }[]).map((item) =>
        typeof item.subname === 'string' ? item.subname.toLowerCase() : '',
      );
      routing.touched(domain, subnames);
      return { body: written.map((set) => rrsetJson(domain, set)) };
    });
  if (parts.length === 7 && method === 'GET')
    return route('rrsets.get', () => {
      routing.charge('read');
      const domain = store.domain(domainName);
      // `@` addresses the apex; `sub...` is the documented alternative spelling of `sub`.
      const subname = parts[5] === '@' ? '' : parts[5]!.replace(/\.\.\.$/, '');
      const set = domain.rrsets.get(`${subname}/${parts[6]}`);
      if (!set) throw notFound();
      return { body: rrsetJson(domain, set) };
    });
  return undefined;
}

/**
 * Up to `pageSize` items plainly; more require `cursor=` (else 400 with a `first` link), and then come a page at
 * a time with `Link` headers, as deSEC paginates.
 */
function paged(routing: DesecRouting, request: FakeApiRequest, items: readonly unknown[]): FakeApiAnswer {
  const link = (cursor: string, rel: string) => {
    const url = new URL(request.path, routing.origin());
    for (const [key, value] of request.query) if (key !== 'cursor') url.searchParams.set(key, value);
    url.searchParams.set('cursor', cursor);
    return `<${url.href}>; rel="${rel}"`;
  };
  const cursor = request.query.get('cursor');
  if (cursor === null) {
    if (items.length <= routing.pageSize) return { body: items };
    throw drfError(
      400,
      {
        detail: `Pagination required. You can query up to ${routing.pageSize} items at a time ('cursor' parameter).`,
      },
      { link: link('', 'first') },
    );
  }
  const offset = cursor === '' ? 0 : Number(Buffer.from(cursor, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) throw drfError(400, { detail: 'Invalid cursor' });
  const next = offset + routing.pageSize;
  const links = [link('', 'first')];
  if (offset > 0)
    links.push(
      link(Buffer.from(String(Math.max(0, offset - routing.pageSize))).toString('base64url'), 'prev'),
    );
  if (next < items.length) links.push(link(Buffer.from(String(next)).toString('base64url'), 'next'));
  return { body: items.slice(offset, next), headers: { link: links.join(', ') } };
}

function domainJson(domain: FakeDesecDomain) {
  return {
    created: domain.created,
    published: domain.created,
    name: domain.name,
    minimum_ttl: domain.minimumTtl,
    touched: domain.created,
  };
}

function rrsetJson(domain: FakeDesecDomain, set: FakeDesecRrset) {
  return {
    created: set.created,
    domain: domain.name,
    subname: set.subname,
    name: `${set.subname ? `${set.subname}.` : ''}${domain.name}.`,
    records: [...set.records],
    ttl: set.ttl,
    type: set.type,
    touched: set.touched,
  };
}
