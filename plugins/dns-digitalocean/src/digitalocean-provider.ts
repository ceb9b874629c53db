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
  type RecordFilter,
  relativeName,
  type ZoneLister,
} from '@certkeeper/dns';
import { type ApiRecord, allPages, createApi, PROVIDER_NAME } from './digitalocean-api.js';
import { type DigitalOceanOptions, MIN_TTL, type ResolvedOptions, resolveOptions } from './options.js';

/**
 * The `@certkeeper/dns` provider for DigitalOcean DNS (`/v2/domains`, `/v2/domains/{domain}/records`).
 *
 * DigitalOcean keeps one record per TXT value and accepts a second record with the same value, so a create first
 * looks for the value at the name (idempotence) and a delete removes every record carrying it. Values are stored
 * unquoted. Record ids this instance created are remembered, so cleanup deletes by id without listing.
 */
export class DigitalOceanDnsProvider implements DnsProvider, ZoneLister {
  readonly name = PROVIDER_NAME;
  private readonly options: ResolvedOptions;
  private readonly api: ProviderHttpClient;
  private readonly domains = new AsyncCache<true>();
  private readonly locks = new KeyedMutex();
  private readonly createdIds = new Map<string, number>();

  constructor(options: DigitalOceanOptions = {}) {
    this.options = resolveOptions(options);
    this.api = createApi(this.options);
  }

  async listZones(options?: ProviderCallOptions): Promise<string[]> {
    const domains = await allPages<{ name: string }>(
      this.api,
      { path: 'domains', query: { per_page: this.options.pageSize } },
      'domains',
      { operation: 'list domains' },
      options,
    );
    const names = domains.map((domain) => normalizeName(domain.name));
    for (const name of names) this.domains.set(name, true);
    return names;
  }

  async createRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<DnsRecord> {
    const { apex, fqdn } = locateRecord(zone, record);
    await this.ensureDomain(apex, options);
    // One create per value at a time in this process, so two calls cannot both find it absent and both post it.
    return this.locks.run(`${fqdn}|${record.value}`, async () => {
      const existing = (await this.recordsAt(apex, fqdn, options)).find(
        (found) => found.data === record.value,
      );
      if (existing) return { ...record, ttl: existing.ttl };
      const { body } = await this.api.request<{ domain_record: ApiRecord }>({
        method: 'POST',
        path: `domains/${encodeURIComponent(apex)}/records`,
        body: {
          type: 'TXT',
          name: record.name,
          data: record.value,
          ttl: Math.max(MIN_TTL, record.ttl),
        },
        operation: `create the TXT record at ${fqdn}`,
        zone: apex,
        // A POST that timed out or met a 5xx may have created the record: repeating it would store a second one.
        idempotent: false,
        signal: options?.signal,
      });
      this.createdIds.set(`${fqdn}|${record.value}`, body.domain_record.id);
      return { ...record, ttl: body.domain_record.ttl };
    });
  }

  async deleteRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<boolean> {
    const { apex, fqdn } = locateRecord(zone, record);
    await this.ensureDomain(apex, options);
    return this.locks.run(`${fqdn}|${record.value}`, async () => {
      const key = `${fqdn}|${record.value}`;
      const known = this.createdIds.get(key);
      this.createdIds.delete(key);
      // The id of a record we created: one DELETE. If it is already gone, list to be sure no copy remains.
      if (known !== undefined && (await this.deleteById(apex, known, fqdn, options))) return true;
      let removed = false;
      for (const found of await this.recordsAt(apex, fqdn, options))
        if (found.data === record.value)
          removed = (await this.deleteById(apex, found.id, fqdn, options)) || removed;
      return removed;
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
    const fqdn = filter.name === undefined ? undefined : absoluteName(filter.name, apex);
    return (await this.recordsAt(apex, fqdn, options)).map((found) => ({
      name: relativeName(absoluteName(found.name, apex), apex),
      type: 'TXT' as const,
      value: found.data,
      ttl: found.ttl,
    }));
  }

  /** TXT records of the domain, optionally at one name (the API filters by the fully qualified name), all pages. */
  private async recordsAt(apex: string, fqdn: string | undefined, options: ProviderCallOptions | undefined) {
    const records = await allPages<ApiRecord>(
      this.api,
      {
        path: `domains/${encodeURIComponent(apex)}/records`,
        query: { type: 'TXT', name: fqdn, per_page: this.options.pageSize },
      },
      'domain_records',
      { operation: `list TXT records${fqdn ? ` at ${fqdn}` : ''} in ${apex}`, zone: apex },
      options,
    );
    // Filtered here too: the API's name filter is exact, but a server that ignores it must not widen a delete.
    return records.filter(
      (found) => found.type === 'TXT' && (fqdn === undefined || absoluteName(found.name, apex) === fqdn),
    );
  }

  private async deleteById(apex: string, id: number, fqdn: string, options: ProviderCallOptions | undefined) {
    const { status } = await this.api.request({
      method: 'DELETE',
      path: `domains/${encodeURIComponent(apex)}/records/${id}`,
      operation: `delete the TXT record at ${fqdn}`,
      zone: apex,
      accept: [404],
      signal: options?.signal,
    });
    return status !== 404;
  }

  /** The domain must exist in the account: `GET /domains/{name}` once per zone (a 404 is DNS_ZONE_NOT_FOUND). */
  private async ensureDomain(apex: string, options: ProviderCallOptions | undefined): Promise<void> {
    await this.domains.get(apex, async () => {
      await this.api.requireZone(`domains/${encodeURIComponent(apex)}`, apex, options?.signal);
      return true as const;
    });
  }
}
