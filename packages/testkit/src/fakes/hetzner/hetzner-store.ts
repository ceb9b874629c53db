import { FakeApiError } from '../json-api-fake.js';

export interface FakeHetznerRrset {
  /** Relative to the zone, `@` for the apex. */
  readonly name: string;
  readonly type: string;
  /** null: the zone's default TTL. */
  ttl: number | null;
  records: { readonly value: string; readonly comment: string }[];
}

export interface FakeHetznerZone {
  readonly id: number;
  readonly name: string;
  readonly ttl: number;
  readonly created: string;
  readonly rrsets: Map<string, FakeHetznerRrset>;
}

export interface FakeHetznerAction {
  readonly id: number;
  readonly command: string;
  status: 'running' | 'success' | 'error';
  readonly started: string;
  finished: string | null;
  readonly zoneId: number;
  error: { code: string; message: string } | null;
}

/** The Cloud API's error envelope. */
export function hetznerError(
  status: number,
  code: string,
  message: string,
  details: unknown = {},
  headers: Record<string, string> = {},
) {
  return new FakeApiError(status, { error: { code, message, details } }, headers);
}

export const invalidInput = (field: string, message: string) =>
  hetznerError(400, 'invalid_input', `invalid input in field '${field}'`, {
    fields: [{ name: field, messages: [message] }],
  });

/** Zones, RRsets and actions, with the API's rules for record changes. */
export class HetznerStore {
  readonly zones = new Map<number, FakeHetznerZone>();
  readonly actions = new Map<number, FakeHetznerAction>();
  private nextZoneId = 4711;
  private nextActionId = 13;

  addZone(name: string, ttl = 3600): FakeHetznerZone {
    const zone: FakeHetznerZone = {
      id: this.nextZoneId++,
      name: name.toLowerCase().replace(/\.$/, ''),
      ttl,
      created: new Date().toISOString(),
      rrsets: new Map(),
    };
    zone.rrsets.set('@/NS', {
      name: '@',
      type: 'NS',
      ttl: null,
      records: ['hydrogen.ns.hetzner.com.', 'oxygen.ns.hetzner.com.', 'helium.ns.hetzner.de.'].map(
        (value) => ({
          value,
          comment: '',
        }),
      ),
    });
    this.zones.set(zone.id, zone);
    return zone;
  }

  /** By id or by name, as `{id_or_name}` in paths. */
  zone(idOrName: string): FakeHetznerZone {
    const byId = /^\d+$/.test(idOrName) ? this.zones.get(Number(idOrName)) : undefined;
    const zone =
      byId ?? [...this.zones.values()].find((candidate) => candidate.name === idOrName.toLowerCase());
    if (!zone) throw hetznerError(404, 'not_found', 'zone not found');
    return zone;
  }

  startAction(command: string, zone: FakeHetznerZone): FakeHetznerAction {
    const action: FakeHetznerAction = {
      id: this.nextActionId++,
      command,
      status: 'running',
      started: new Date().toISOString(),
      finished: null,
      zoneId: zone.id,
      error: null,
    };
    this.actions.set(action.id, action);
    return action;
  }

  runningOn(zone: FakeHetznerZone): boolean {
    return [...this.actions.values()].some(
      (action) => action.zoneId === zone.id && action.status === 'running',
    );
  }
}

/** Checks the records of an add_records / remove_records body: TXT values must be quoted strings. */
export function recordsOf(body: unknown, type: string): { value: string; comment: string }[] {
  const records = (body as { records?: unknown } | undefined)?.records;
  if (!Array.isArray(records) || records.length === 0) throw invalidInput('records', 'must not be empty');
  return records.map((entry) => {
    const value = (entry as { value?: unknown }).value;
    if (typeof value !== 'string' || value === '') throw invalidInput('records', 'value is required');
    if (type === 'TXT' && !/^"([^"\\]|\\.)*"( "([^"\\]|\\.)*")*$/.test(value))
      throw invalidInput('records', 'TXT record values must consist of one or more quoted strings');
    const comment = (entry as { comment?: unknown }).comment;
    return { value, comment: typeof comment === 'string' ? comment : '' };
  });
}
