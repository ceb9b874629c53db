import type { FakeApiAnswer, FakeApiRequest, FakeApiRoute } from '../json-api-fake.js';
import type { FakeOvhZone, OvhStore } from './ovh-store.js';

export type OvhOperation =
  | 'auth.time'
  | 'zones.list'
  | 'zones.get'
  | 'records.list'
  | 'records.get'
  | 'records.create'
  | 'records.delete'
  | 'zone.refresh';

export interface OvhRouting {
  readonly store: OvhStore;
  /** The server's clock, Unix seconds. */
  readonly now: () => number;
  /** Called after a refresh with the zone's changed names (for the DNS mirror). */
  readonly refreshed: (zone: FakeOvhZone, names: readonly string[]) => void;
}

/** The API path after `/1.0`, or undefined for a path outside the API. */
export function apiPathOf(request: FakeApiRequest): string | undefined {
  return request.path.startsWith('/1.0/') ? request.path.slice('/1.0'.length) : undefined;
}

/** Routes `/1.0/…` requests to the operations this fake serves. */
export function routeOvh(
  routing: OvhRouting,
  request: FakeApiRequest,
): FakeApiRoute<OvhOperation> | undefined {
  const apiPath = apiPathOf(request);
  if (apiPath === undefined) return undefined;
  const parts = apiPath.split('/').filter(Boolean).map(decodeURIComponent);
  const { method } = request;
  const route = (operation: OvhOperation, handle: () => FakeApiAnswer) => ({ operation, handle });
  if (apiPath === '/auth/time' && method === 'GET')
    return route('auth.time', () => ({ body: routing.now() }));
  if (parts[0] !== 'domain' || parts[1] !== 'zone') return undefined;
  const { store } = routing;
  if (parts.length === 2 && method === 'GET')
    return route('zones.list', () => ({ body: [...store.zones.keys()] }));
  const zoneName = parts[2] ?? '';
  if (parts.length === 3 && method === 'GET')
    return route('zones.get', () => {
      const zone = store.zone(zoneName);
      return {
        body: {
          name: zone.name,
          hasDnsAnycast: false,
          nameServers: ['dns200.anycast.me', 'ns200.anycast.me'],
          dnssecSupported: true,
          lastUpdate: new Date().toISOString(),
        },
      };
    });
  if (parts.length === 4 && parts[3] === 'refresh' && method === 'POST')
    return route('zone.refresh', () => {
      const zone = store.zone(zoneName);
      const names = [...zone.pending];
      zone.pending.clear();
      routing.refreshed(zone, names);
      return { body: null };
    });
  if (parts[3] !== 'record' || parts.length > 5) return undefined;
  if (parts.length === 4 && method === 'GET')
    return route('records.list', () => {
      const zone = store.zone(zoneName);
      const fieldType = request.query.get('fieldType');
      const subDomain = request.query.get('subDomain');
      const ids = [...zone.records.values()]
        .filter(
          (record) =>
            (!fieldType || record.fieldType === fieldType.toUpperCase()) &&
            // An empty subDomain filters nothing (the harder reading of an undocumented case).
            (!subDomain || record.subDomain === subDomain.toLowerCase()),
        )
        .map((record) => record.id);
      return { body: ids };
    });
  if (parts.length === 4 && method === 'POST')
    return route('records.create', () => ({
      body: store.create(store.zone(zoneName), (request.body ?? {}) as Record<string, unknown>),
    }));
  const id = Number(parts[4]);
  if (parts.length === 5 && method === 'GET')
    return route('records.get', () => ({ body: store.record(store.zone(zoneName), id) }));
  if (parts.length === 5 && method === 'DELETE')
    return route('records.delete', () => {
      store.delete(store.zone(zoneName), id);
      return { body: null };
    });
  return undefined;
}
