import {
  AsyncCache,
  absoluteName,
  type DnsProvider,
  type DnsRecord,
  KeyedMutex,
  locateRecord,
  normalizeName,
  type ProviderCallOptions,
  type ProviderHttpClient,
  quoteTxt,
  type RecordFilter,
  unquoteTxt,
  type ZoneLister,
} from '@certkeeper/dns';
import { type ApiRrset, allPages, createApi, PROVIDER_NAME } from './gandi-api.js';
import { type GandiOptions, MIN_TTL, type ResolvedOptions, resolveOptions } from './options.js';

/**
 * The `@certkeeper/dns` provider for Gandi LiveDNS (`api.gandi.net/v5/livedns`).
 *
 * LiveDNS keeps one record set per name and type with a `rrset_values` array, and `PUT` replaces the whole set. So
 * adding a value reads the set and writes it back with the value appended (the first value is never clobbered),
 * and removing one writes back the rest, or deletes the set when nothing is left. A per-name lock serialises this in
 * one process; the API has no conditional write, so two processes writing one name in the same instant can lose a
 * value (README "Limits").
 */
export class GandiDnsProvider implements DnsProvider, ZoneLister {
  readonly name = PROVIDER_NAME;
  private readonly options: ResolvedOptions;
  private readonly api: ProviderHttpClient;
  private readonly domains = new AsyncCache<true>();
  private readonly locks = new KeyedMutex();

  constructor(options: GandiOptions = {}) {
    this.options = resolveOptions(options);
    this.api = createApi(this.options);
  }

  async listZones(options?: ProviderCallOptions): Promise<string[]> {
    const domains = await allPages<{ fqdn: string }>(
      this.api,
      'domains',
      {},
      this.options.pageSize,
      { operation: 'list domains' },
      options,
    );
    return domains.map((domain) => {
      const name = normalizeName(domain.fqdn);
      this.domains.set(name, true);
      return name;
    });
  }

  async createRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<DnsRecord> {
    const { apex, fqdn } = locateRecord(zone, record);
    await this.ensureDomain(apex, options);
    return this.locks.run(fqdn, async () => {
      const set = await this.readSet(apex, record.name, options);
      if (set?.rrset_values.some((stored) => unquoteTxt(stored) === record.value))
        return { ...record, ttl: set.rrset_ttl };
      // An existing set keeps its TTL (LiveDNS has one TTL per set); a new one gets the requested TTL, at least 300.
      const ttl = set?.rrset_ttl ?? Math.max(MIN_TTL, record.ttl);
      await this.writeSet(
        apex,
        record.name,
        ttl,
        [...(set?.rrset_values ?? []), quoteTxt(record.value)],
        options,
      );
      return { ...record, ttl };
    });
  }

  async deleteRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<boolean> {
    const { apex, fqdn } = locateRecord(zone, record);
    await this.ensureDomain(apex, options);
    return this.locks.run(fqdn, async () => {
      const set = await this.readSet(apex, record.name, options);
      const values = set?.rrset_values ?? [];
      const kept = values.filter((stored) => unquoteTxt(stored) !== record.value);
      if (!set || kept.length === values.length) return false;
      if (kept.length > 0) await this.writeSet(apex, record.name, set.rrset_ttl, kept, options);
      else
        await this.api.request({
          method: 'DELETE',
          path: this.setPath(apex, record.name),
          operation: `delete the TXT records at ${fqdn}`,
          zone: apex,
          accept: [404],
          signal: options?.signal,
        });
      return true;
    });
  }

  async listRecords(
    zone: string,
    filter: RecordFilter = {},
    options?: ProviderCallOptions,
  ): Promise<DnsRecord[]> {
    const apex = normalizeName(zone);
    if (filter.type !== undefined && filter.type !== 'TXT') return [];
    await this.ensureDomain(apex, options);
    const sets =
      filter.name === undefined
        ? await allPages<ApiRrset>(
            this.api,
            `domains/${encodeURIComponent(apex)}/records`,
            { rrset_type: 'TXT' },
            this.options.pageSize,
            { operation: `list TXT records in ${apex}`, zone: apex },
            options,
          )
        : [await this.readSet(apex, filter.name, options)];
    return sets.flatMap((set) =>
      set && set.rrset_type === 'TXT'
        ? set.rrset_values.map((stored) => ({
            name: set.rrset_name === '@' ? '@' : set.rrset_name.toLowerCase(),
            type: 'TXT' as const,
            value: unquoteTxt(stored),
            ttl: set.rrset_ttl,
          }))
        : [],
    );
  }

  private setPath(apex: string, name: string): string {
    return `domains/${encodeURIComponent(apex)}/records/${encodeURIComponent(name)}/TXT`;
  }

  private async readSet(apex: string, name: string, options: ProviderCallOptions | undefined) {
    const { status, body } = await this.api.request<ApiRrset>({
      method: 'GET',
      path: this.setPath(apex, name),
      operation: `read the TXT records at ${absoluteName(name, apex)}`,
      zone: apex,
      accept: [404],
      signal: options?.signal,
    });
    return status === 404 ? undefined : body;
  }

  private async writeSet(
    apex: string,
    name: string,
    ttl: number,
    values: readonly string[],
    options: ProviderCallOptions | undefined,
  ) {
    await this.api.request({
      method: 'PUT',
      path: this.setPath(apex, name),
      body: { rrset_ttl: ttl, rrset_values: values },
      operation: `write the TXT records at ${absoluteName(name, apex)}`,
      zone: apex,
      signal: options?.signal,
    });
  }

  /** The domain must be on LiveDNS for the token: `GET /domains/{fqdn}` once per zone (404 → DNS_ZONE_NOT_FOUND). */
  private async ensureDomain(apex: string, options: ProviderCallOptions | undefined): Promise<void> {
    await this.domains.get(apex, async () => {
      await this.api.requireZone(`domains/${encodeURIComponent(apex)}`, apex, options?.signal);
      return true as const;
    });
  }
}
