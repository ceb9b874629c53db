import { quoteTxt, unquoteTxt } from '@certkeeper/dns';
import { FakeApiError } from '../json-api-fake.js';

export interface FakeDnsimpleRecord {
  readonly id: number;
  readonly zone_id: string;
  readonly parent_id: number | null;
  /** Relative to the zone, `""` for the apex, as the API returns names. */
  readonly name: string;
  readonly content: string;
  readonly ttl: number;
  readonly priority: number | null;
  readonly type: string;
  readonly regions: readonly string[];
  readonly system_record: boolean;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface FakeDnsimpleZone {
  readonly id: number;
  readonly account_id: number;
  readonly name: string;
  readonly records: Map<number, FakeDnsimpleRecord>;
}

/** DNSimple's error envelope: `{ message }`, with `errors` per field for validation failures. */
export function dnsimpleError(
  status: number,
  message: string,
  errors?: Record<string, string[]>,
  headers: Record<string, string> = {},
): FakeApiError {
  return new FakeApiError(status, { message, ...(errors ? { errors } : {}) }, headers);
}

/** Zones of accounts and their records, with the API's rules for creating records. */
export class DnsimpleStore {
  readonly zones = new Map<string, FakeDnsimpleZone>();
  private nextZoneId = 1;
  private nextRecordId = 64_784;

  addZone(accountId: number, name: string): FakeDnsimpleZone {
    const zone: FakeDnsimpleZone = {
      id: this.nextZoneId++,
      account_id: accountId,
      name: name.toLowerCase().replace(/\.$/, ''),
      records: new Map(),
    };
    this.zones.set(`${accountId}/${zone.name}`, zone);
    // Every DNSimple zone has its SOA and NS system records, which listings without a type filter include.
    this.add(
      zone,
      {
        type: 'SOA',
        name: '',
        content: 'ns1.dnsimple.com admin.dnsimple.com 1 86400 7200 604800 300',
        ttl: 3600,
      },
      true,
    );
    this.add(zone, { type: 'NS', name: '', content: 'ns1.dnsimple.com', ttl: 3600 }, true);
    return zone;
  }

  zone(accountId: number, name: string): FakeDnsimpleZone {
    const zone = this.zones.get(`${accountId}/${name.toLowerCase()}`);
    if (!zone) throw dnsimpleError(404, `Zone \`${name}\` not found`);
    return zone;
  }

  /**
   * Creates a record as `POST …/zones/{zone}/records` does: a relative name (`""` for the apex), a TTL of at least
   * 60, TXT content normalised into quoted presentation format; a record identical to one at the name is refused
   * (400, "Zone record already exists").
   */
  create(zone: FakeDnsimpleZone, input: Record<string, unknown>): FakeDnsimpleRecord {
    const type = typeof input.type === 'string' ? input.type.toUpperCase() : '';
    const name = typeof input.name === 'string' ? input.name.toLowerCase() : undefined;
    const raw = typeof input.content === 'string' ? input.content : '';
    const ttl = input.ttl === undefined ? 3600 : input.ttl;
    const errors: Record<string, string[]> = {};
    if (!type) errors.type = ["can't be blank"];
    if (name === undefined) errors.name = ["can't be blank"];
    else if (name.endsWith('.') || name.endsWith(zone.name)) errors.name = ['must be relative to the zone'];
    if (raw === '') errors.content = ["can't be blank"];
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 60)
      errors.ttl = ['must be greater than or equal to 60'];
    if (Object.keys(errors).length > 0) throw dnsimpleError(400, 'Validation failed', errors);
    const content = type === 'TXT' ? normaliseTxt(raw) : raw;
    const duplicate = [...zone.records.values()].some(
      (record) => record.type === type && record.name === name && record.content === content,
    );
    if (duplicate) throw dnsimpleError(400, 'Validation failed', { base: ['Zone record already exists'] });
    return this.add(zone, { type, name: name!, content, ttl: ttl as number }, false);
  }

  private add(
    zone: FakeDnsimpleZone,
    input: { type: string; name: string; content: string; ttl: number },
    system: boolean,
  ): FakeDnsimpleRecord {
    const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const record: FakeDnsimpleRecord = {
      id: this.nextRecordId++,
      zone_id: zone.name,
      parent_id: null,
      ...input,
      priority: null,
      regions: ['global'],
      system_record: system,
      created_at: now,
      updated_at: now,
    };
    zone.records.set(record.id, record);
    return record;
  }
}

/** TXT content as DNSimple stores it: in quoted presentation form (already quoted content is kept). */
function normaliseTxt(content: string): string {
  return content.startsWith('"') ? content : quoteTxt(content);
}

/** The value a resolver sees for stored TXT content. */
export function txtValueOf(record: FakeDnsimpleRecord): string {
  return record.content.startsWith('"') ? unquoteTxt(record.content) : record.content;
}

/** The fully qualified name of a record. */
export function fqdnOf(zone: FakeDnsimpleZone, record: FakeDnsimpleRecord): string {
  return record.name === '' ? zone.name : `${record.name}.${zone.name}`;
}
