import type { FakeApiAnswer, FakeApiRequest, FakeApiRoute } from '../json-api-fake.js';
import type { GoogleDnsStore } from './google-dns-store.js';
import { googleError } from './google-error.js';
import type { GoogleOAuth } from './google-oauth.js';

export type GoogleDnsOperation =
  | 'oauth.token'
  | 'metadata.token'
  | 'zones.list'
  | 'zones.get'
  | 'rrsets.list'
  | 'changes.create'
  | 'changes.get';

export interface GoogleDnsRouting {
  readonly store: GoogleDnsStore;
  readonly oauth: GoogleOAuth;
  readonly project: string;
  readonly maxPerPage: number | undefined;
  readonly changeDelayMs: number;
  /** Called after a change was applied, with the names it touched (for the DNS mirror). */
  readonly changed: (zone: string, names: readonly string[]) => void;
}

/** Routes the token endpoint, the metadata server's token and `/dns/v1/projects/{project}/managedZones/…`. */
export function routeGoogleDns(
  routing: GoogleDnsRouting,
  request: FakeApiRequest,
): FakeApiRoute<GoogleDnsOperation> | undefined {
  const { method, path } = request;
  const route = (operation: GoogleDnsOperation, handle: () => FakeApiAnswer) => ({ operation, handle });
  if (path === '/token' && method === 'POST')
    return route('oauth.token', () => routing.oauth.token((request.body ?? {}) as Record<string, unknown>));
  if (path === '/computeMetadata/v1/instance/service-accounts/default/token' && method === 'GET')
    return route('metadata.token', () => routing.oauth.metadataToken());
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== 'dns' || parts[1] !== 'v1' || parts[2] !== 'projects' || parts[4] !== 'managedZones')
    return undefined;
  const inProject = () => {
    if (parts[3] !== routing.project)
      throw googleError(
        403,
        'forbidden',
        `The caller does not have permission to access project ${parts[3]}`,
      );
  };
  const zoneName = parts[5];
  if (parts.length === 5 && method === 'GET')
    return route('zones.list', () => {
      inProject();
      const dnsName = request.query.get('dnsName');
      const zones = [...routing.store.zones.values()]
        .filter((zone) => dnsName === null || zone.dnsName === dnsName.toLowerCase())
        .map(({ rrsets: _rrsets, ...zone }) => ({ kind: 'dns#managedZone', ...zone }));
      return page(routing, request, 'managedZones', zones);
    });
  if (zoneName === undefined) return undefined;
  if (parts.length === 6 && method === 'GET')
    return route('zones.get', () => {
      inProject();
      const { rrsets: _rrsets, ...zone } = routing.store.zone(zoneName);
      return { body: { kind: 'dns#managedZone', ...zone } };
    });
  if (parts[6] === 'rrsets' && parts.length === 7 && method === 'GET')
    return route('rrsets.list', () => {
      inProject();
      const zone = routing.store.zone(zoneName);
      const name = request.query.get('name')?.toLowerCase() ?? null;
      const type = request.query.get('type');
      if (type !== null && name === null)
        throw googleError(
          400,
          'invalid',
          "Invalid value for 'parameters.type': the type filter requires a name filter.",
        );
      const sets = [...zone.rrsets.values()].filter(
        (set) => (name === null || set.name === name) && (type === null || set.type === type),
      );
      return page(routing, request, 'rrsets', sets);
    });
  if (parts[6] === 'changes' && parts.length === 7 && method === 'POST')
    return route('changes.create', () => {
      inProject();
      const zone = routing.store.zone(zoneName);
      const change = routing.store.applyChange(
        zone,
        (request.body ?? {}) as Record<string, unknown>,
        routing.changeDelayMs,
      );
      routing.changed(zone.name, [
        ...new Set([...change.additions, ...change.deletions].map((set) => set.name)),
      ]);
      return { body: changeJson(change) };
    });
  if (parts[6] === 'changes' && parts.length === 8 && method === 'GET')
    return route('changes.get', () => {
      inProject();
      routing.store.zone(zoneName);
      const change = routing.store.changes.get(`${zoneName}/${parts[7]}`);
      if (!change)
        throw googleError(
          404,
          'notFound',
          `The 'parameters.changeId' resource named '${parts[7]}' does not exist.`,
        );
      return { body: changeJson(change) };
    });
  return undefined;
}

function changeJson(change: import('./google-dns-store.js').FakeChange) {
  const { doneAt, ...rest } = change;
  return { ...rest, status: Date.now() >= doneAt ? 'done' : 'pending' };
}

/** A page with `nextPageToken` (opaque to clients: the offset, encoded); `maxResults` capped by `maxPerPage`. */
function page(routing: GoogleDnsRouting, request: FakeApiRequest, field: string, items: readonly unknown[]) {
  const asked = request.query.has('maxResults') ? Number(request.query.get('maxResults')) : 1000;
  if (!Number.isInteger(asked) || asked < 1)
    throw googleError(
      400,
      'invalid',
      `Invalid value for 'parameters.maxResults': '${request.query.get('maxResults')}'`,
    );
  const size = Math.min(asked, routing.maxPerPage ?? asked, 1000);
  const token = request.query.get('pageToken');
  const offset = token
    ? Number(
        Buffer.from(token, 'base64url')
          .toString('utf8')
          .replace(/^offset:/, ''),
      )
    : 0;
  if (!Number.isInteger(offset) || offset < 0) throw googleError(400, 'invalid', 'Invalid page token.');
  const end = offset + size;
  return {
    body: {
      kind: field === 'rrsets' ? 'dns#resourceRecordSetsListResponse' : 'dns#managedZonesListResponse',
      [field]: items.slice(offset, end),
      ...(end < items.length ? { nextPageToken: Buffer.from(`offset:${end}`).toString('base64url') } : {}),
    },
  };
}
