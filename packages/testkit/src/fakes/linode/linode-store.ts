import { FakeApiError } from '../json-api-fake.js';

export interface FakeLinodeRecord {
  readonly id: number;
  readonly type: string;
  /** Relative to the domain; the empty string for the apex, as the API returns names. */
  readonly name: string;
  readonly target: string;
  readonly ttl_sec: number;
  readonly priority: number;
  readonly weight: number;
  readonly port: number;
  readonly service: string | null;
  readonly protocol: string | null;
  readonly tag: string | null;
  readonly created: string;
  readonly updated: string;
}

export interface FakeLinodeDomain {
  readonly id: number;
  readonly domain: string;
  readonly type: 'master' | 'slave';
  readonly records: Map<number, FakeLinodeRecord>;
}

/** Linode's error envelope: `{ "errors": [{ "reason", "field"? }] }`. */
export function linodeError(
  status: number,
  reason: string,
  field?: string,
  headers: Record<string, string> = {},
): FakeApiError {
  return new FakeApiError(status, { errors: [{ reason, ...(field ? { field } : {}) }] }, headers);
}

export const notFound = () => linodeError(404, 'Not found');

/** The TTLs the API stores; any other `ttl_sec` is rounded to the nearest (documented behaviour). */
const VALID_TTLS = [
  0, 30, 120, 300, 3600, 7200, 14_400, 28_800, 57_600, 86_400, 172_800, 345_600, 604_800, 1_209_600,
  2_419_200,
];

function roundTtl(ttl: number): number {
  let best = VALID_TTLS[0]!;
  for (const valid of VALID_TTLS) if (Math.abs(valid - ttl) < Math.abs(best - ttl)) best = valid;
  return best;
}

/** Domains and their records, with the API's rules for creating records. */
export class LinodeStore {
  readonly domains = new Map<number, FakeLinodeDomain>();
  private nextDomainId = 1_234_000;
  private nextRecordId = 28_598_000;

  addDomain(name: string, type: 'master' | 'slave' = 'master'): FakeLinodeDomain {
    const domain: FakeLinodeDomain = {
      id: this.nextDomainId++,
      domain: name.toLowerCase().replace(/\.$/, ''),
      type,
      records: new Map(),
    };
    this.domains.set(domain.id, domain);
    return domain;
  }

  byName(name: string): FakeLinodeDomain | undefined {
    return [...this.domains.values()].find((domain) => domain.domain === name.toLowerCase());
  }

  domain(id: number): FakeLinodeDomain {
    const domain = this.domains.get(id);
    if (!domain) throw notFound();
    return domain;
  }

  /**
   * Creates a record as `POST /domains/{id}/records` does: a relative name (`""` for the apex; a trailing dot or
   * a name outside the domain is refused), a target, `ttl_sec` rounded to the nearest valid value. An identical
   * record is accepted again: the API does not refuse duplicates.
   */
  create(domain: FakeLinodeDomain, input: Record<string, unknown>): FakeLinodeRecord {
    if (domain.type !== 'master')
      throw linodeError(400, 'Records cannot be created on a slave domain', 'type');
    const type = typeof input.type === 'string' ? input.type : '';
    const name = typeof input.name === 'string' ? input.name.toLowerCase() : '';
    const target = typeof input.target === 'string' ? input.target : '';
    const ttl = input.ttl_sec === undefined ? 0 : input.ttl_sec;
    if (!type) throw linodeError(400, 'type is required', 'type');
    if (name.endsWith('.') || name.endsWith(`.${domain.domain}`) || name === domain.domain)
      throw linodeError(400, 'Invalid record name', 'name');
    if (type === 'TXT' && (target === '' || target.length > 65_535))
      throw linodeError(400, 'Length must be 1-65535 characters', 'target');
    if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl < 0)
      throw linodeError(400, 'ttl_sec must be a non-negative integer', 'ttl_sec');
    return this.add(domain, { type, name, target, ttl_sec: roundTtl(ttl) });
  }

  private add(
    domain: FakeLinodeDomain,
    input: { type: string; name: string; target: string; ttl_sec: number },
  ) {
    const now = new Date().toISOString().slice(0, 19);
    const record: FakeLinodeRecord = {
      id: this.nextRecordId++,
      ...input,
      priority: 0,
      weight: 0,
      port: 0,
      service: null,
      protocol: null,
      tag: null,
      created: now,
      updated: now,
    };
    domain.records.set(record.id, record);
    return record;
  }
}

/** The fully qualified name of a record. */
export function fqdnOf(domain: FakeLinodeDomain, record: FakeLinodeRecord): string {
  return record.name === '' ? domain.domain : `${record.name}.${domain.domain}`;
}
