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
  providerFailed,
  quoteTxt,
  type RecordFilter,
  unquoteTxt,
  type ZoneLister,
} from '@certkeeper/dns';
import {
  type ApiAction,
  type ApiRrset,
  allPages,
  awaitAction,
  createApi,
  errorCodeOf,
  PROVIDER_NAME,
} from './hetzner-api.js';
import { type HetznerOptions, MIN_TTL, type ResolvedOptions, resolveOptions } from './options.js';

interface ZoneInfo {
  readonly name: string;
  /** The zone's default TTL, which RRsets without their own TTL have. */
  readonly ttl: number;
}

/**
 * The `@certkeeper/dns` provider for Hetzner DNS through the Hetzner Cloud API (`/v1/zones`), where zones managed in
 * the Hetzner Console live (the old dns.hetzner.com API cannot change a zone once it has been migrated).
 *
 * The API keeps one RRset per name and type but changes it with atomic actions, `add_records` and
 * `remove_records`, that add or remove single values: no read-modify-write, so two processes never lose each
 * other's values. Changes are asynchronous: each write waits for its action to report `success`. TXT values are
 * sent in presentation format (quoted), as the API requires.
 */
export class HetznerDnsProvider implements DnsProvider, ZoneLister {
  readonly name = PROVIDER_NAME;
  private readonly options: ResolvedOptions;
  private readonly api: ProviderHttpClient;
  private readonly zones = new AsyncCache<ZoneInfo>();
  /** Writes to one zone one at a time in this process: the API answers `locked` while an action runs on a zone. */
  private readonly locks = new KeyedMutex();

  constructor(options: HetznerOptions = {}) {
    this.options = resolveOptions(options);
    this.api = createApi(this.options);
  }

  async listZones(options?: ProviderCallOptions): Promise<string[]> {
    const zones = await allPages<ZoneInfo>(
      this.api,
      'zones',
      { per_page: this.options.pageSize },
      'zones',
      { operation: 'list zones' },
      options,
    );
    return zones.map((zone) => {
      const name = normalizeName(zone.name);
      this.zones.set(name, { name, ttl: zone.ttl });
      return name;
    });
  }

  async createRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<DnsRecord> {
    const { apex, fqdn } = locateRecord(zone, record);
    const info = await this.zone(apex, options);
    return this.locks.run(apex, async () => {
      const set = await this.readSet(apex, record.name, options);
      if (set && valuesOf(set).includes(record.value)) return { ...record, ttl: set.ttl ?? info.ttl };
      const ttl = Math.max(MIN_TTL, record.ttl);
      const operation = `add a TXT value at ${fqdn}`;
      const { status, body } = await this.api.request<{ action: ApiAction }>({
        method: 'POST',
        path: `${this.setPath(apex, record.name)}/actions/add_records`,
        // The TTL only matters when the RRset is new; an existing set keeps its own.
        body: { records: [{ value: quoteTxt(record.value) }], ...(set ? {} : { ttl }) },
        operation,
        zone: apex,
        // 409 uniqueness_error: the value is there already; 409 locked is retried by the client.
        accept: (code, answer) => code === 409 && errorCodeOf(answer) === 'uniqueness_error',
        signal: options?.signal,
      });
      if (status === 409) {
        // Another process added the same value meanwhile (uniqueness_error): fine if it is there now.
        const again = await this.readSet(apex, record.name, options);
        if (again && valuesOf(again).includes(record.value)) return { ...record, ttl: again.ttl ?? info.ttl };
        throw providerFailed(PROVIDER_NAME, operation, `HTTP 409: ${errorCodeOf(body) ?? 'conflict'}`, {
          retryable: true,
        });
      }
      await this.settle(body.action, operation, apex, options);
      return { ...record, ttl: set ? (set.ttl ?? info.ttl) : ttl };
    });
  }

  async deleteRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<boolean> {
    const { apex, fqdn } = locateRecord(zone, record);
    await this.zone(apex, options);
    return this.locks.run(apex, async () => {
      const set = await this.readSet(apex, record.name, options);
      // Remove the values exactly as stored (another tool may have written them unquoted).
      const stored = (set?.records ?? []).filter((found) => unquoteTxt(found.value) === record.value);
      if (stored.length === 0) return false;
      const operation = `remove a TXT value at ${fqdn}`;
      const { status, body } = await this.api.request<{ action: ApiAction }>({
        method: 'POST',
        path: `${this.setPath(apex, record.name)}/actions/remove_records`,
        body: { records: stored.map((found) => ({ value: found.value })) },
        operation,
        zone: apex,
        // 404: the RRset is gone; 400 invalid_input: a value is no longer in it. Another writer removed it meanwhile.
        accept: (code, answer) => code === 404 || (code === 400 && errorCodeOf(answer) === 'invalid_input'),
        signal: options?.signal,
      });
      if (status === 404) return false;
      if (status === 400) {
        const again = await this.readSet(apex, record.name, options);
        if (!again || !valuesOf(again).includes(record.value)) return false;
        throw providerFailed(PROVIDER_NAME, operation, `HTTP 400: ${errorCodeOf(body)}`, {
          retryable: false,
        });
      }
      await this.settle(body.action, operation, apex, options);
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
    const info = await this.zone(apex, options);
    const sets =
      filter.name === undefined
        ? await allPages<ApiRrset>(
            this.api,
            `zones/${encodeURIComponent(apex)}/rrsets`,
            { type: 'TXT', per_page: this.options.pageSize },
            'rrsets',
            { operation: `list TXT records in ${apex}`, zone: apex },
            options,
          )
        : [await this.readSet(apex, filter.name, options)];
    return sets.flatMap((set) =>
      set && set.type === 'TXT'
        ? valuesOf(set).map((value) => ({
            name: set.name === '@' ? '@' : set.name.toLowerCase(),
            type: 'TXT' as const,
            value,
            ttl: set.ttl ?? info.ttl,
          }))
        : [],
    );
  }

  private setPath(apex: string, name: string): string {
    return `zones/${encodeURIComponent(apex)}/rrsets/${encodeURIComponent(name)}/TXT`;
  }

  private async readSet(apex: string, name: string, options: ProviderCallOptions | undefined) {
    const { status, body } = await this.api.request<{ rrset: ApiRrset }>({
      method: 'GET',
      path: this.setPath(apex, name),
      operation: `read the TXT records at ${absoluteName(name, apex)}`,
      zone: apex,
      accept: [404],
      signal: options?.signal,
    });
    return status === 404 ? undefined : body.rrset;
  }

  private settle(
    action: ApiAction,
    operation: string,
    zone: string,
    options: ProviderCallOptions | undefined,
  ) {
    return awaitAction(this.api, action, {
      intervalMs: this.options.actionPollIntervalMs,
      timeoutMs: this.options.actionTimeoutMs,
      operation,
      zone,
      signal: options?.signal,
    });
  }

  /** The zone, looked up once by name (`GET /zones/{name}`); a 404 is DNS_ZONE_NOT_FOUND. */
  private zone(apex: string, options: ProviderCallOptions | undefined): Promise<ZoneInfo> {
    return this.zones.get(apex, async () => {
      const body = await this.api.requireZone<{ zone: ZoneInfo }>(
        `zones/${encodeURIComponent(apex)}`,
        apex,
        options?.signal,
      );
      return { name: apex, ttl: body.zone.ttl };
    });
  }
}

function valuesOf(set: ApiRrset): string[] {
  return set.records.map((found) => unquoteTxt(found.value));
}
