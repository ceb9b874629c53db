import { FakeApiError } from '../json-api-fake.js';

export interface FakeDoRecord {
  readonly id: number;
  readonly type: string;
  /** Relative to the domain, `@` for the apex, as the API returns names. */
  readonly name: string;
  readonly data: string;
  readonly ttl: number;
  readonly priority: number | null;
  readonly port: number | null;
  readonly weight: number | null;
  readonly flags: number | null;
  readonly tag: string | null;
}

export interface FakeDoDomain {
  readonly name: string;
  readonly ttl: number;
  readonly records: Map<number, FakeDoRecord>;
}

/** DigitalOcean's error envelope: `{ id, message, request_id }`. */
export function doError(status: number, id: string, message: string, headers: Record<string, string> = {}) {
  return new FakeApiError(status, { id, message, request_id: crypto.randomUUID() }, headers);
}

export const notFound = () =>
  doError(404, 'not_found', 'The resource you were accessing could not be found.');

/** Domains and their records, with the API's rules for creating records. */
export class DigitalOceanStore {
  readonly domains = new Map<string, FakeDoDomain>();
  private nextId = 3352892;

  addDomain(name: string): FakeDoDomain {
    const domain: FakeDoDomain = {
      name: name.toLowerCase().replace(/\.$/, ''),
      ttl: 1800,
      records: new Map(),
    };
    this.domains.set(domain.name, domain);
    this.add(domain, { type: 'NS', name: '@', data: 'ns1.digitalocean.com', ttl: 1800 });
    return domain;
  }

  domain(name: string): FakeDoDomain {
    const domain = this.domains.get(name);
    if (!domain) throw notFound();
    return domain;
  }

  /**
   * Creates a record as `POST /v2/domains/{domain}/records` does: a relative name or `@`; a TTL of at least 30;
   * TXT data not empty. An identical record is accepted again (the API does not refuse duplicates).
   */
  create(domain: FakeDoDomain, input: Record<string, unknown>): FakeDoRecord {
    const type = typeof input.type === 'string' ? input.type : '';
    const name = typeof input.name === 'string' ? input.name.toLowerCase() : '';
    const data = typeof input.data === 'string' ? input.data : '';
    const ttl = input.ttl === undefined ? 1800 : input.ttl;
    if (!type) throw doError(422, 'unprocessable_entity', 'Type is not included in the list');
    if (!name || name.endsWith('.')) throw doError(422, 'unprocessable_entity', 'Name is invalid');
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 30)
      throw doError(422, 'unprocessable_entity', 'Ttl must be greater than or equal to 30');
    if (type === 'TXT' && (data === '' || data.length > 512))
      throw doError(422, 'unprocessable_entity', 'Data needs to be between 1 and 512 characters');
    return this.add(domain, { type, name, data, ttl });
  }

  private add(domain: FakeDoDomain, input: { type: string; name: string; data: string; ttl: number }) {
    const record: FakeDoRecord = {
      id: this.nextId++,
      ...input,
      priority: null,
      port: null,
      weight: null,
      flags: null,
      tag: null,
    };
    domain.records.set(record.id, record);
    return record;
  }
}

/** The fully qualified name of a record, as the `name` filter of the records listing compares it. */
export function fqdnOf(domain: FakeDoDomain, record: FakeDoRecord): string {
  return record.name === '@' ? domain.name : `${record.name}.${domain.name}`;
}
