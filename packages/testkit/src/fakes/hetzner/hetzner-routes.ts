import { unquoteTxt } from '@certkeeper/dns';
import type { FakeApiAnswer, FakeApiRequest, FakeApiRoute } from '../json-api-fake.js';
import {
  type FakeHetznerAction,
  type FakeHetznerRrset,
  type FakeHetznerZone,
  type HetznerStore,
  hetznerError,
  invalidInput,
  recordsOf,
} from './hetzner-store.js';

export type HetznerOperation =
  | 'zones.list'
  | 'zones.get'
  | 'rrsets.list'
  | 'rrsets.get'
  | 'rrsets.add_records'
  | 'rrsets.remove_records'
  | 'actions.get';

export interface HetznerRouting {
  readonly store: HetznerStore;
  readonly maxPerPage: number | undefined;
  /** Finishes an action later (after the fake's action delay), applying its change to the RRset `name` then. */
  readonly schedule: (action: FakeHetznerAction, name: string, apply: () => void) => void;
}

/** Routes `/v1/…` requests to the operations this fake serves. */
export function routeHetzner(
  routing: HetznerRouting,
  request: FakeApiRequest,
): FakeApiRoute<HetznerOperation> | undefined {
  const parts = request.path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] !== 'v1' || parts[1] !== 'zones') return undefined;
  const { method, query } = request;
  const { store } = routing;
  const route = (operation: HetznerOperation, handle: () => FakeApiAnswer) => ({ operation, handle });
  if (parts.length === 2 && method === 'GET')
    return route('zones.list', () => {
      const name = query.get('name');
      const zones = [...store.zones.values()].filter(
        (zone) => name === null || zone.name === name.toLowerCase(),
      );
      return page(routing, request, 'zones', zones.map(zoneJson));
    });
  if (parts.length === 4 && parts[2] === 'actions' && method === 'GET')
    return route('actions.get', () => {
      const action = store.actions.get(Number(parts[3]));
      if (!action) throw hetznerError(404, 'not_found', 'action not found');
      return { body: { action: actionJson(action) } };
    });
  if (parts.length === 3 && method === 'GET')
    return route('zones.get', () => ({ body: { zone: zoneJson(store.zone(parts[2]!)) } }));
  if (parts[3] !== 'rrsets') return undefined;
  if (parts.length === 4 && method === 'GET')
    return route('rrsets.list', () => {
      const zone = store.zone(parts[2]!);
      const names = query.getAll('name');
      const types = query.getAll('type');
      const sets = [...zone.rrsets.values()].filter(
        (set) =>
          (names.length === 0 || names.includes(set.name)) &&
          (types.length === 0 || types.includes(set.type)),
      );
      return page(
        routing,
        request,
        'rrsets',
        sets.map((set) => rrsetJson(zone, set)),
      );
    });
  const [name, type] = [parts[4]?.toLowerCase() ?? '', parts[5] ?? ''];
  if (parts.length === 6 && method === 'GET')
    return route('rrsets.get', () => {
      const zone = store.zone(parts[2]!);
      const set = zone.rrsets.get(`${name}/${type}`);
      if (!set) throw hetznerError(404, 'not_found', 'rrset not found');
      return { body: { rrset: rrsetJson(zone, set) } };
    });
  if (parts.length === 8 && parts[6] === 'actions' && method === 'POST' && parts[7] === 'add_records')
    return route('rrsets.add_records', () => {
      const zone = store.zone(parts[2]!);
      const records = recordsOf(request.body, type);
      const ttl = (request.body as { ttl?: unknown }).ttl;
      if (
        ttl !== undefined &&
        (!Number.isInteger(ttl) || (ttl as number) < 60 || (ttl as number) > 2147483647)
      )
        throw invalidInput('ttl', 'must be between 60 and 2147483647');
      const existing = zone.rrsets.get(`${name}/${type}`);
      // Assumed, not documented: adding a value the RRset already has is refused (the harder case for a client).
      if (existing?.records.some((record) => records.some((added) => same(record.value, added.value, type))))
        throw hetznerError(409, 'uniqueness_error', 'record already exists in rrset');
      if (store.runningOn(zone)) throw hetznerError(409, 'locked', 'zone is locked by another action');
      const action = store.startAction('add_rrset_records', zone);
      routing.schedule(action, name, () => {
        const set = zone.rrsets.get(`${name}/${type}`) ?? {
          name,
          type,
          ttl: (ttl as number | undefined) ?? null,
          records: [],
        };
        for (const record of records)
          if (!set.records.some((present) => same(present.value, record.value, type)))
            set.records.push(record);
        zone.rrsets.set(`${name}/${type}`, set);
      });
      return { status: 201, body: { action: actionJson(action) } };
    });
  if (parts.length === 8 && parts[6] === 'actions' && method === 'POST' && parts[7] === 'remove_records')
    return route('rrsets.remove_records', () => {
      const zone = store.zone(parts[2]!);
      const set = zone.rrsets.get(`${name}/${type}`);
      if (!set) throw hetznerError(404, 'not_found', 'rrset not found');
      const records = recordsOf(request.body, type);
      // Assumed, not documented: removing a value the RRset does not hold is refused.
      if (!records.every((removed) => set.records.some((record) => same(record.value, removed.value, type))))
        throw invalidInput('records', 'record not found in rrset');
      if (store.runningOn(zone)) throw hetznerError(409, 'locked', 'zone is locked by another action');
      const action = store.startAction('remove_rrset_records', zone);
      routing.schedule(action, name, () => {
        set.records = set.records.filter(
          (record) => !records.some((removed) => same(record.value, removed.value, type)),
        );
        if (set.records.length === 0) zone.rrsets.delete(`${name}/${type}`);
      });
      return { status: 201, body: { action: actionJson(action) } };
    });
  return undefined;
}

/** Two record values are the same record: TXT compared as the DNS serves them. */
function same(a: string, b: string, type: string): boolean {
  return type === 'TXT' ? unquoteTxt(a) === unquoteTxt(b) : a === b;
}

/** A page with `meta.pagination` (per_page default 25, at most 100). */
function page(routing: HetznerRouting, request: FakeApiRequest, field: string, items: readonly unknown[]) {
  const pageNumber = request.query.has('page') ? Number(request.query.get('page')) : 1;
  const perPage = request.query.has('per_page') ? Number(request.query.get('per_page')) : 25;
  if (!Number.isInteger(pageNumber) || pageNumber < 1)
    throw invalidInput('page', 'must be a positive integer');
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100)
    throw invalidInput('per_page', 'must be between 1 and 100');
  const size = Math.min(perPage, routing.maxPerPage ?? perPage);
  const last = Math.max(1, Math.ceil(items.length / size));
  return {
    body: {
      [field]: items.slice((pageNumber - 1) * size, pageNumber * size),
      meta: {
        pagination: {
          page: pageNumber,
          per_page: size,
          previous_page: pageNumber > 1 ? pageNumber - 1 : null,
          next_page: pageNumber < last ? pageNumber + 1 : null,
          last_page: last,
          total_entries: items.length,
        },
      },
    },
  };
}

function zoneJson(zone: FakeHetznerZone) {
  return {
    id: zone.id,
    name: zone.name,
    created: zone.created,
    mode: 'primary',
    ttl: zone.ttl,
    labels: {},
    protection: { delete: false },
    primary_nameservers: [],
    authoritative_nameservers: {
      assigned: ['hydrogen.ns.hetzner.com.', 'oxygen.ns.hetzner.com.', 'helium.ns.hetzner.de.'],
      delegated: ['hydrogen.ns.hetzner.com.', 'oxygen.ns.hetzner.com.', 'helium.ns.hetzner.de.'],
      delegation_last_check: zone.created,
      delegation_status: 'valid',
    },
    registrar: 'other',
    status: 'ok',
    record_count: [...zone.rrsets.values()].reduce((count, set) => count + set.records.length, 0),
  };
}

function rrsetJson(zone: FakeHetznerZone, set: FakeHetznerRrset) {
  return {
    id: `${set.name}/${set.type}`,
    name: set.name,
    type: set.type,
    ttl: set.ttl,
    labels: {},
    protection: { change: false },
    records: set.records.map((record) => ({ ...record })),
    zone: zone.id,
  };
}

function actionJson(action: FakeHetznerAction) {
  return {
    id: action.id,
    command: action.command,
    status: action.status,
    progress: action.status === 'running' ? 0 : 100,
    started: action.started,
    finished: action.finished,
    resources: [{ id: action.zoneId, type: 'zone' }],
    error: action.error,
  };
}
