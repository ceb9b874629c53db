import {
  absoluteName,
  assertValidRecord,
  type DnsProvider,
  type DnsRecord,
  KeyedMutex,
  normalizeName,
  type ProviderCallOptions,
  providerFailed,
  type RecordFilter,
  relativeName,
  type ZoneLister,
  zoneNotFound,
} from '@certkeeper/dns';
import { type PowerDnsOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { type ApiRrset, type ApiZone, PowerDnsApi, PROVIDER_NAME } from './powerdns-api.js';
import { quoteTxt, unquoteTxt } from './txt-content.js';

type ApiRecord = NonNullable<ApiRrset['records']>[number];

/**
 * DNS provider for the PowerDNS Authoritative Server HTTP API (`/api/v1`, header `X-API-Key`).
 *
 * PowerDNS keeps all values of a name and type in one RRset and its PATCH `REPLACE` swaps the whole set (like
 * Route 53's UPSERT). So each create/delete is a read-modify-write of that set:
 * - under a per-name lock, so concurrent calls in this process never overwrite each other;
 * - keeping every other record of the set, disabled ones included, and the set's TTL on delete;
 * - followed by a read-back: when another client replaced the set in between and our change is missing, the
 *   change is applied again (up to `conflictRetries` times).
 * The API has no conditional write, so two *processes* writing one name at the same instant can still lose a
 * value in the short window between one's read-back and the other's write; use one certkeeper worker per
 * name (the manager's single-flight does), or RFC 2136 against PowerDNS (`dnsupdate=yes`), which is atomic.
 */
export class PowerDnsProvider implements DnsProvider, ZoneLister {
  readonly name = PROVIDER_NAME;
  private readonly options: ResolvedOptions;
  private readonly api: PowerDnsApi;
  private readonly locks = new KeyedMutex();
  private readonly zoneIds = new Map<string, string>();

  constructor(options: PowerDnsOptions) {
    this.options = resolveOptions(options);
    this.options.redactor.register(this.options.apiKey);
    this.api = new PowerDnsApi(this.options);
  }

  async listZones(options?: ProviderCallOptions): Promise<string[]> {
    const zones = await this.api.request<ApiZone[]>(
      'GET',
      'zones',
      { operation: 'list zones' },
      undefined,
      options,
    );
    return zones.map((zone) => normalizeName(zone.name));
  }

  async createRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<DnsRecord> {
    const { apex, fqdn } = this.locate(zone, record);
    return this.locks.run(fqdn, async () => {
      for (let attempt = 0; attempt <= this.options.conflictRetries; attempt++) {
        const current = await this.readSet(apex, fqdn, options);
        const existing = current && enabledValues(current).includes(record.value);
        if (existing) return { ...record, ttl: current.ttl ?? record.ttl };
        // A disabled copy of the value is replaced by an enabled one: PowerDNS refuses duplicate contents.
        const kept = (current?.records ?? []).filter((found) => unquoteTxt(found.content) !== record.value);
        await this.patch(
          apex,
          fqdn,
          { ttl: record.ttl, records: [...kept, { content: quoteTxt(record.value), disabled: false }] },
          options,
        );
        const after = await this.readSet(apex, fqdn, options);
        if (after && enabledValues(after).includes(record.value))
          return { ...record, ttl: after.ttl ?? record.ttl };
      }
      throw this.conflict(`add TXT "${record.value}" at ${fqdn}`);
    });
  }

  async deleteRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<boolean> {
    const { apex, fqdn } = this.locate(zone, record);
    return this.locks.run(fqdn, async () => {
      let removed = false;
      for (let attempt = 0; attempt <= this.options.conflictRetries; attempt++) {
        const current = await this.readSet(apex, fqdn, options);
        const records = current?.records ?? [];
        const kept = records.filter((found) => unquoteTxt(found.content) !== record.value);
        if (kept.length === records.length) return removed;
        removed = true;
        await this.patch(
          apex,
          fqdn,
          kept.length > 0 ? { ttl: current?.ttl ?? record.ttl, records: kept } : 'DELETE',
          options,
        );
        const after = await this.readSet(apex, fqdn, options);
        if (!(after?.records ?? []).some((found) => unquoteTxt(found.content) === record.value)) return true;
      }
      throw this.conflict(`delete TXT "${record.value}" at ${fqdn}`);
    });
  }

  async listRecords(
    zone: string,
    filter: RecordFilter = {},
    options?: ProviderCallOptions,
  ): Promise<DnsRecord[]> {
    const apex = normalizeName(zone);
    if (filter.type !== undefined && filter.type !== 'TXT') return [];
    const fqdn = filter.name === undefined ? undefined : absoluteName(filter.name, apex);
    const sets =
      fqdn === undefined
        ? await this.readZone(apex, undefined, options)
        : [await this.readSet(apex, fqdn, options, false)];
    return sets.flatMap((set) =>
      set
        ? enabledValues(set).map((value) => ({
            name: relativeName(normalizeName(set.name), apex),
            type: 'TXT' as const,
            value,
            ttl: set.ttl ?? 0,
          }))
        : [],
    );
  }

  private locate(zone: string, record: DnsRecord): { apex: string; fqdn: string } {
    const apex = normalizeName(zone);
    assertValidRecord(apex, record);
    return { apex, fqdn: absoluteName(record.name, apex) };
  }

  private async zoneId(apex: string, options: ProviderCallOptions | undefined): Promise<string> {
    const cached = this.zoneIds.get(apex);
    if (cached) return cached;
    const found = await this.api.request<ApiZone[]>(
      'GET',
      `zones?zone=${encodeURIComponent(`${apex}.`)}`,
      { operation: `look up zone ${apex}`, zone: apex },
      undefined,
      options,
    );
    const match = found.find((candidate) => normalizeName(candidate.name) === apex);
    if (!match) throw zoneNotFound(this.name, apex);
    this.zoneIds.set(apex, match.id);
    return match.id;
  }

  /**
   * TXT RRsets of the zone, optionally only at `fqdn`. `forWrite` reads the whole zone: PowerDNS 4.7 leaves
   * **disabled** records out of answers filtered with `rrset_name`, and writing such a set back would delete them
   * (found against pdns-server 4.7.3; the test "keeps values it did not write" guards it).
   */
  private async readZone(
    apex: string,
    fqdn: string | undefined,
    options: ProviderCallOptions | undefined,
    forWrite = false,
  ): Promise<ApiRrset[]> {
    const id = await this.zoneId(apex, options);
    const query =
      fqdn === undefined || forWrite ? '' : `?rrset_name=${encodeURIComponent(`${fqdn}.`)}&rrset_type=TXT`;
    const body = await this.api.request<ApiZone>(
      'GET',
      `zones/${encodeURIComponent(id)}${query}`,
      { operation: `read TXT records${fqdn ? ` at ${fqdn}` : ''} in zone ${apex}`, zone: apex },
      undefined,
      options,
    );
    // Filtered here as well: servers before the rrset_name parameter existed return the whole zone.
    return (body.rrsets ?? []).filter(
      (set) => set.type === 'TXT' && (fqdn === undefined || normalizeName(set.name) === fqdn),
    );
  }

  private async readSet(
    apex: string,
    fqdn: string,
    options: ProviderCallOptions | undefined,
    forWrite = true,
  ): Promise<ApiRrset | undefined> {
    return (await this.readZone(apex, fqdn, options, forWrite))[0];
  }

  private async patch(
    apex: string,
    fqdn: string,
    change: { ttl: number; records: ApiRecord[] } | 'DELETE',
    options: ProviderCallOptions | undefined,
  ): Promise<void> {
    const id = await this.zoneId(apex, options);
    const rrset: ApiRrset =
      change === 'DELETE'
        ? { name: `${fqdn}.`, type: 'TXT', changetype: 'DELETE' }
        : { name: `${fqdn}.`, type: 'TXT', ttl: change.ttl, changetype: 'REPLACE', records: change.records };
    await this.api.request<void>(
      'PATCH',
      `zones/${encodeURIComponent(id)}`,
      { operation: `write the TXT RRset at ${fqdn} in zone ${apex}`, zone: apex },
      { rrsets: [rrset] },
      options,
    );
  }

  private conflict(operation: string): Error {
    return providerFailed(
      this.name,
      operation,
      `another client replaced the RRset again after each of ${this.options.conflictRetries + 1} attempts`,
      { retryable: true },
    );
  }
}

function enabledValues(set: ApiRrset): string[] {
  return (set.records ?? []).filter((record) => !record.disabled).map((record) => unquoteTxt(record.content));
}
