import { quoteTxt, unquoteTxt } from '@certkeeper/dns';
import { FakeApiError } from '../json-api-fake.js';

export interface FakeOvhRecord {
  readonly id: number;
  readonly zone: string;
  /** Relative to the zone, `""` for the apex. */
  readonly subDomain: string;
  readonly fieldType: string;
  readonly target: string;
  readonly ttl: number;
}

export interface FakeOvhZone {
  readonly name: string;
  readonly records: Map<number, FakeOvhRecord>;
  /** Names changed since the last `POST /domain/zone/{zone}/refresh`: not served yet. */
  readonly pending: Set<string>;
}

/** OVH's error envelope for API errors: `{ class, message }`. */
export function ovhError(status: number, errorClass: string, message: string): FakeApiError {
  return new FakeApiError(status, { class: errorClass, message });
}

/** OVH's envelope for authentication errors: `{ errorCode, httpCode, message }`. */
export function ovhAuthError(
  status: number,
  errorCode: string,
  httpCode: string,
  message: string,
): FakeApiError {
  return new FakeApiError(status, { errorCode, httpCode, message });
}

/** Zones and their records, with the API's rules for creating records. */
export class OvhStore {
  readonly zones = new Map<string, FakeOvhZone>();
  private nextId = 5_088_000_000;

  addZone(name: string): FakeOvhZone {
    const zone: FakeOvhZone = {
      name: name.toLowerCase().replace(/\.$/, ''),
      records: new Map(),
      pending: new Set(),
    };
    this.zones.set(zone.name, zone);
    this.add(zone, { subDomain: '', fieldType: 'NS', target: 'dns200.anycast.me.', ttl: 0 });
    zone.pending.clear();
    return zone;
  }

  zone(name: string): FakeOvhZone {
    const zone = this.zones.get(name.toLowerCase());
    if (!zone) throw ovhError(404, 'Client::NotFound', 'This service does not exist');
    return zone;
  }

  record(zone: FakeOvhZone, id: number): FakeOvhRecord {
    const record = zone.records.get(id);
    if (!record) throw ovhError(404, 'Client::NotFound', `The requested object (id = ${id}) does not exist`);
    return record;
  }

  /**
   * Creates a record as `POST /domain/zone/{zone}/record` does: `subDomain` relative (default `""`), a TTL of 0 (the
   * zone's default) or at least 60, TXT targets stored in quoted presentation form. Identical records are accepted.
   */
  create(zone: FakeOvhZone, input: Record<string, unknown>): FakeOvhRecord {
    const fieldType = typeof input.fieldType === 'string' ? input.fieldType.toUpperCase() : '';
    const subDomain = typeof input.subDomain === 'string' ? input.subDomain.toLowerCase() : '';
    const target = typeof input.target === 'string' ? input.target : '';
    const ttl = input.ttl === undefined ? 0 : input.ttl;
    if (!fieldType) throw ovhError(400, 'Client::BadRequest', '[fieldType] Property is mandatory');
    if (target === '') throw ovhError(400, 'Client::BadRequest', '[target] Property is mandatory');
    if (subDomain.endsWith('.') || subDomain.endsWith(zone.name))
      throw ovhError(400, 'Client::BadRequest', `Invalid subDomain: ${subDomain}`);
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || (ttl !== 0 && ttl < 60))
      throw ovhError(
        400,
        'Client::BadRequest',
        '[ttl] Given data is not valid: TTL must be 0 or at least 60',
      );
    return this.add(zone, {
      subDomain,
      fieldType,
      target: fieldType === 'TXT' && !target.startsWith('"') ? quoteTxt(target) : target,
      ttl,
    });
  }

  delete(zone: FakeOvhZone, id: number): void {
    const record = this.record(zone, id);
    zone.records.delete(id);
    zone.pending.add(fqdnOf(zone, record));
  }

  private add(zone: FakeOvhZone, input: Omit<FakeOvhRecord, 'id' | 'zone'>): FakeOvhRecord {
    const record: FakeOvhRecord = { id: this.nextId++, zone: zone.name, ...input };
    zone.records.set(record.id, record);
    zone.pending.add(fqdnOf(zone, record));
    return record;
  }
}

/** The value a resolver sees for a stored TXT target. */
export function txtValueOf(record: FakeOvhRecord): string {
  return record.target.startsWith('"') ? unquoteTxt(record.target) : record.target;
}

export function fqdnOf(zone: FakeOvhZone, record: FakeOvhRecord): string {
  return record.subDomain === '' ? zone.name : `${record.subDomain}.${zone.name}`;
}
