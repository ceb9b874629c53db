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
  unquoteTxt,
  type ZoneLister,
  zoneNotFound,
} from '@certkeeper/dns';
import { type ApiDomain, type ApiRecord, allPages, createApi, PROVIDER_NAME } from './linode-api.js';
import { linodeTtl } from './linode-ttl.js';
import { type LinodeOptions, type ResolvedOptions, resolveOptions } from './options.js';

/**
 * The `@certkeeper/dns` provider for Linode (Akamai Cloud) DNS Manager, on the v4 REST API
 * (`/domains`, `/domains/{id}/records`).
 *
 * Linode keeps one record per TXT value, addressed by a numeric domain id. The API accepts a second record with the
 * same value, so a create first looks for it (idempotence) and a delete removes every record carrying it. Record
 * ids this instance created are remembered, so cleanup deletes by id without listing.
 */
export class LinodeDnsProvider implements DnsProvider, ZoneLister {
  readonly name = PROVIDER_NAME;
  private readonly options: ResolvedOptions;
  private readonly api: ProviderHttpClient;
  private readonly domainIds = new AsyncCache<number>();
  private readonly locks = new KeyedMutex();
  private readonly createdIds = new Map<string, number>();

  constructor(options: LinodeOptions = {}) {
    this.options = resolveOptions(options);
    this.options.redactor.register(this.options.apiToken);
    this.api = createApi(this.options);
  }

  /** The `master` domains of the account (secondary domains are served from elsewhere and cannot be written). */
  async listZones(options?: ProviderCallOptions): Promise<string[]> {
    const domains = await allPages<ApiDomain>(
      this.api,
      'domains',
      this.options.pageSize,
      { operation: 'list domains' },
      options,
    );
    return domains
      .filter((domain) => domain.type === 'master')
      .map((domain) => {
        const name = normalizeName(domain.domain);
        this.domainIds.set(name, domain.id);
        return name;
      });
  }

  async createRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<DnsRecord> {
    const { apex, fqdn } = locateRecord(zone, record);
    const id = await this.domainId(apex, options);
    const key = `${fqdn}|${record.value}`;
    // One create per value at a time in this process, so two calls cannot both find it absent and both post it.
    return this.locks.run(key, async () => {
      const existing = (await this.recordsAt(apex, id, fqdn, options)).find(
        (found) => txtValueOf(found) === record.value,
      );
      if (existing) return { ...record, ttl: existing.ttl_sec };
      const { body } = await this.api.request<ApiRecord>({
        method: 'POST',
        path: `domains/${id}/records`,
        body: {
          type: 'TXT',
          name: record.name === '@' ? '' : record.name,
          target: record.value,
          ttl_sec: linodeTtl(record.ttl),
        },
        operation: `create the TXT record at ${fqdn}`,
        zone: apex,
        // A POST that timed out or met a 5xx may have created the record: repeating it would store a second one.
        idempotent: false,
        signal: options?.signal,
      });
      this.createdIds.set(key, body.id);
      return { ...record, ttl: body.ttl_sec };
    });
  }

  async deleteRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<boolean> {
    const { apex, fqdn } = locateRecord(zone, record);
    const id = await this.domainId(apex, options);
    const key = `${fqdn}|${record.value}`;
    return this.locks.run(key, async () => {
      const known = this.createdIds.get(key);
      this.createdIds.delete(key);
      // The id of a record we created: one DELETE. If it is already gone, list to be sure no copy remains.
      if (known !== undefined && (await this.deleteById(apex, id, known, fqdn, options))) return true;
      let removed = false;
      for (const found of await this.recordsAt(apex, id, fqdn, options))
        if (txtValueOf(found) === record.value)
          removed = (await this.deleteById(apex, id, found.id, fqdn, options)) || removed;
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
    const id = await this.domainId(apex, options);
    const fqdn = filter.name === undefined ? undefined : absoluteName(filter.name, apex);
    return (await this.recordsAt(apex, id, fqdn, options)).map((found) => ({
      name: relativeName(absoluteName(found.name === '' ? '@' : found.name, apex), apex),
      type: 'TXT' as const,
      value: txtValueOf(found),
      ttl: found.ttl_sec,
    }));
  }

  /**
   * TXT records of the domain, optionally at one name. The records listing has no name filter, so every page of
   * the domain is read (500 records a page) and filtered here.
   */
  private async recordsAt(
    apex: string,
    id: number,
    fqdn: string | undefined,
    options: ProviderCallOptions | undefined,
  ) {
    const records = await allPages<ApiRecord>(
      this.api,
      `domains/${id}/records`,
      this.options.pageSize,
      { operation: `list TXT records${fqdn ? ` at ${fqdn}` : ''} in ${apex}`, zone: apex },
      options,
    );
    return records.filter(
      (found) =>
        found.type === 'TXT' &&
        (fqdn === undefined || absoluteName(found.name === '' ? '@' : found.name, apex) === fqdn),
    );
  }

  private async deleteById(
    apex: string,
    domainId: number,
    recordId: number,
    fqdn: string,
    options: ProviderCallOptions | undefined,
  ) {
    const { status } = await this.api.request({
      method: 'DELETE',
      path: `domains/${domainId}/records/${recordId}`,
      operation: `delete the TXT record at ${fqdn}`,
      zone: apex,
      accept: [404],
      signal: options?.signal,
    });
    return status !== 404;
  }

  /**
   * The id of a `master` domain, found once per zone with `GET /domains` filtered by name (`X-Filter`); a domain
   * the account lacks, or a secondary one, is DNS_ZONE_NOT_FOUND.
   */
  private domainId(apex: string, options: ProviderCallOptions | undefined): Promise<number> {
    return this.domainIds.get(apex, async () => {
      const found = await allPages<ApiDomain>(
        this.api,
        'domains',
        this.options.pageSize,
        { operation: `look up the zone ${apex}`, zone: apex, filter: { domain: apex } },
        options,
      );
      const domain = found.find((candidate) => normalizeName(candidate.domain) === apex);
      if (domain?.type !== 'master') throw zoneNotFound(PROVIDER_NAME, apex);
      return domain.id;
    });
  }
}

/** Linode stores TXT targets as sent (unquoted); a value written quoted by another tool is read back decoded. */
function txtValueOf(record: ApiRecord): string {
  return record.target.startsWith('"') ? unquoteTxt(record.target) : record.target;
}
