import {
  AsyncCache,
  absoluteName,
  assertValidRecord,
  type ChangeBatcher,
  type ChangeSet,
  type DnsProvider,
  type DnsRecord,
  KeyedMutex,
  normalizeName,
  type ProviderCallOptions,
  type ProviderHttpClient,
  quoteTxt,
  type RecordFilter,
  unquoteTxt,
  type ZoneLister,
} from '@certkeeper/dns';
import { type ApiDomain, type ApiRrset, allPages, createApi, PROVIDER_NAME } from './desec-api.js';
import { type DesecOptions, type ResolvedOptions, resolveOptions } from './options.js';

/** The new state of one RRset in a write: its records (presentation format) and TTL; no records deletes it. */
interface SetWrite {
  readonly subname: string;
  readonly ttl: number;
  readonly records: readonly string[];
}

/**
 * The `@certkeeper/dns` provider for deSEC (`desec.io/api/v1`).
 *
 * deSEC keeps one RRset per name and type, and a write replaces the RRset's records: adding or removing one value
 * is a read-modify-write of the set (values quoted, RFC 1035 presentation format). Every write is one bulk
 * `PATCH /domains/{name}/rrsets/` (atomic; an empty record list deletes a set), and `applyChanges` puts all of an
 * order's changes in a zone into one such write — deSEC allows only 2 RRset writes per second and 15 per minute per
 * domain. A per-name lock keeps concurrent calls in this process from overwriting each other. The API has no
 * conditional write, so two processes writing one name in the same instant can lose a value (README "Limits").
 */
export class DesecDnsProvider implements DnsProvider, ZoneLister, ChangeBatcher {
  readonly name = PROVIDER_NAME;
  private readonly options: ResolvedOptions;
  private readonly api: ProviderHttpClient;
  private readonly domains = new AsyncCache<ApiDomain>();
  private readonly locks = new KeyedMutex();

  constructor(options: DesecOptions = {}) {
    this.options = resolveOptions(options);
    this.api = createApi(this.options);
  }

  async listZones(options?: ProviderCallOptions): Promise<string[]> {
    const domains = await allPages<ApiDomain>(
      this.api,
      'domains/',
      {},
      { operation: 'list domains' },
      options,
    );
    return domains.map((domain) => {
      const name = normalizeName(domain.name);
      this.domains.set(name, domain);
      return name;
    });
  }

  async createRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<DnsRecord> {
    const { ttls } = await this.modify(checked(zone, [record]), { create: [record], delete: [] }, options);
    return { ...record, ttl: ttls.get(subnameOf(record.name)) ?? record.ttl };
  }

  async deleteRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<boolean> {
    const { removed } = await this.modify(checked(zone, [record]), { create: [], delete: [record] }, options);
    return removed > 0;
  }

  /** Every create and delete of `changes` in one atomic bulk write (nothing is written when nothing changes). */
  async applyChanges(zone: string, changes: ChangeSet, options?: ProviderCallOptions): Promise<void> {
    await this.modify(checked(zone, [...changes.create, ...changes.delete]), changes, options);
  }

  /** Reads the sets `changes` touch, writes what changed in one request; the values removed and each set's TTL. */
  private async modify(
    apex: string,
    changes: ChangeSet,
    options: ProviderCallOptions | undefined,
  ): Promise<{ removed: number; ttls: Map<string, number> }> {
    const domain = await this.domain(apex, options);
    const subnames = [
      ...new Set([...changes.create, ...changes.delete].map((record) => subnameOf(record.name))),
    ];
    return this.locks.runAll(
      subnames.map((subname) => `${apex}|${subname}`),
      async () => {
        const current = await Promise.all(subnames.map((subname) => this.readSet(apex, subname, options)));
        const writes: SetWrite[] = [];
        const ttls = new Map<string, number>();
        let removed = 0;
        subnames.forEach((subname, index) => {
          const set = current[index];
          const records = [...(set?.records ?? [])];
          for (const record of changes.delete.filter((candidate) => subnameOf(candidate.name) === subname)) {
            const kept = records.filter((stored) => unquoteTxt(stored) !== record.value);
            removed += records.length - kept.length;
            records.splice(0, records.length, ...kept);
          }
          for (const record of changes.create.filter((candidate) => subnameOf(candidate.name) === subname))
            if (!records.some((stored) => unquoteTxt(stored) === record.value))
              records.push(quoteTxt(record.value));
          // A new set takes the largest requested TTL, raised to the domain's minimum; an existing set keeps its own.
          const requested = Math.max(
            0,
            ...changes.create.filter((c) => subnameOf(c.name) === subname).map((c) => c.ttl),
          );
          const ttl = set?.ttl ?? Math.max(domain.minimum_ttl, requested);
          ttls.set(subname, ttl);
          const unchanged =
            records.length === (set?.records.length ?? 0) && records.every((r) => set?.records.includes(r));
          if (!unchanged) writes.push({ subname, ttl, records });
        });
        if (writes.length > 0) await this.write(apex, writes, options);
        return { removed, ttls };
      },
    );
  }

  async listRecords(
    zone: string,
    filter: RecordFilter = {},
    options?: ProviderCallOptions,
  ): Promise<DnsRecord[]> {
    const apex = normalizeName(zone);
    if (filter.type !== undefined && filter.type !== 'TXT') return [];
    await this.domain(apex, options);
    const sets =
      filter.name === undefined
        ? await allPages<ApiRrset>(
            this.api,
            `domains/${encodeURIComponent(apex)}/rrsets/`,
            { type: 'TXT' },
            { operation: `list TXT records in ${apex}`, zone: apex },
            options,
          )
        : [await this.readSet(apex, subnameOf(filter.name), options)];
    return sets.flatMap((set) =>
      set && set.type === 'TXT'
        ? set.records.map((stored) => ({
            name: set.subname === '' ? '@' : set.subname,
            type: 'TXT' as const,
            value: unquoteTxt(stored),
            ttl: set.ttl,
          }))
        : [],
    );
  }

  /** One RRset, or undefined (404). The apex is addressed as `@`, as deSEC documents. */
  private async readSet(apex: string, subname: string, options: ProviderCallOptions | undefined) {
    const { status, body } = await this.api.request<ApiRrset>({
      method: 'GET',
      path: `domains/${encodeURIComponent(apex)}/rrsets/${encodeURIComponent(subname || '@')}/TXT/`,
      operation: `read the TXT records at ${absoluteName(subname || '@', apex)}`,
      zone: apex,
      accept: [404],
      signal: options?.signal,
    });
    return status === 404 ? undefined : body;
  }

  private async write(apex: string, writes: readonly SetWrite[], options: ProviderCallOptions | undefined) {
    await this.api.request({
      method: 'PATCH',
      path: `domains/${encodeURIComponent(apex)}/rrsets/`,
      body: writes.map((write) => ({
        subname: write.subname,
        type: 'TXT',
        ttl: write.ttl,
        records: write.records,
      })),
      operation: `write the TXT records at ${writes.map((write) => absoluteName(write.subname || '@', apex)).join(', ')}`,
      zone: apex,
      signal: options?.signal,
    });
  }

  /** The domain (with its minimum TTL), looked up once: `GET /domains/{name}/`; a 404 is DNS_ZONE_NOT_FOUND. */
  private domain(apex: string, options: ProviderCallOptions | undefined): Promise<ApiDomain> {
    return this.domains.get(apex, () =>
      this.api.requireZone<ApiDomain>(`domains/${encodeURIComponent(apex)}/`, apex, options?.signal),
    );
  }
}

/** deSEC's `subname`: the relative name, empty for the apex. */
function subnameOf(name: string): string {
  return name === '@' ? '' : name;
}

function checked(zone: string, records: readonly DnsRecord[]): string {
  const apex = normalizeName(zone);
  for (const record of records) assertValidRecord(apex, record);
  return apex;
}
