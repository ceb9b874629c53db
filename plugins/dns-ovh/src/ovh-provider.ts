import { processSecretRedactor } from '@certkeeper/core';
import {
  AsyncCache,
  absoluteName,
  type DnsProvider,
  type DnsRecord,
  KeyedMutex,
  locateRecord,
  mapWithLimit,
  normalizeName,
  type ProviderCallOptions,
  type RecordFilter,
  relativeName,
  unquoteTxt,
  type ZoneLister,
  zoneNotFound,
} from '@certkeeper/dns';
import { type OvhOptions, type ResolvedOptions, resolveOptions } from './options.js';
import { OvhApi, PROVIDER_NAME } from './ovh-api.js';
import { ZoneRefresher } from './zone-refresher.js';

/** A zone record as `GET /domain/zone/{zone}/record/{id}` returns it. */
interface ApiRecord {
  readonly id: number;
  readonly zone: string;
  /** Relative to the zone, `""` for the apex. */
  readonly subDomain: string;
  readonly fieldType: string;
  readonly target: string;
  readonly ttl: number;
}

/** OVH refuses TTLs below 60 seconds (0 means the zone's default, which the provider never sends). */
export const MIN_TTL = 60;

/**
 * The `@certkeeper/dns` provider for OVHcloud DNS zones (`/domain/zone/{zone}/record`), through the official
 * `@ovhcloud/node-ovh` SDK on the EU, CA or US endpoint.
 *
 * OVH keeps one record per TXT value. Listings return record ids only, so each look-up reads the records at one
 * name one by one. Changes reach the served zone only after `POST /domain/zone/{zone}/refresh`, which every create
 * and delete asks for before it returns (coalesced per zone when several changes run at once).
 */
export class OvhDnsProvider implements DnsProvider, ZoneLister {
  readonly name = PROVIDER_NAME;
  private readonly options: ResolvedOptions;
  private readonly api: OvhApi;
  private readonly zones = new AsyncCache<true>();
  private readonly locks = new KeyedMutex();
  private readonly refresher = new ZoneRefresher();
  private readonly createdIds = new Map<string, number>();
  /** Records this instance created, by id: a listing that returns their ids needs no GET to know what they hold. */
  private readonly createdRecords = new Map<number, ApiRecord>();

  constructor(options: OvhOptions = {}) {
    this.options = resolveOptions(options);
    const redactor = options.redactor ?? processSecretRedactor();
    redactor.register(this.options.applicationKey);
    redactor.register(this.options.applicationSecret);
    redactor.register(this.options.consumerKey);
    this.api = new OvhApi(this.options);
  }

  async listZones(options?: ProviderCallOptions): Promise<string[]> {
    const names =
      (await this.api.request<string[]>(
        'GET',
        '/domain/zone',
        {},
        {
          operation: 'list zones',
          signal: options?.signal,
        },
      )) ?? [];
    const zones = names.map((name) => normalizeName(name));
    for (const zone of zones) this.zones.set(zone, true);
    return zones;
  }

  async createRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<DnsRecord> {
    const { apex, fqdn } = locateRecord(zone, record);
    await this.ensureZone(apex, options);
    const key = `${fqdn}|${record.value}`;
    // One create per value at a time in this process, so two calls cannot both find it absent and both post it.
    return this.locks.run(key, async () => {
      const existing = (await this.recordsAt(apex, record.name, options)).find(
        (found) => targetOf(found) === record.value,
      );
      if (existing) {
        // Created by an earlier attempt that may have stopped before its refresh: make sure it is served.
        await this.refresh(apex, options);
        return { ...record, ttl: existing.ttl };
      }
      const created = await this.api.request<ApiRecord>(
        'POST',
        `/domain/zone/${encodeURIComponent(apex)}/record`,
        {
          fieldType: 'TXT',
          subDomain: subDomainOf(record.name),
          target: record.value,
          ttl: Math.max(MIN_TTL, record.ttl),
        },
        {
          operation: `create the TXT record at ${fqdn}`,
          zone: apex,
          idempotent: false,
          signal: options?.signal,
        },
      );
      this.createdIds.set(key, created!.id);
      this.createdRecords.set(created!.id, created!);
      await this.refresh(apex, options);
      return { ...record, ttl: created!.ttl };
    });
  }

  async deleteRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<boolean> {
    const { apex, fqdn } = locateRecord(zone, record);
    await this.ensureZone(apex, options);
    const key = `${fqdn}|${record.value}`;
    return this.locks.run(key, async () => {
      const known = this.createdIds.get(key);
      this.createdIds.delete(key);
      let removed = false;
      // The id of a record we created: one DELETE. If it is already gone, list to be sure no copy remains.
      if (known !== undefined) removed = await this.deleteById(apex, known, fqdn, options);
      if (!removed)
        for (const found of await this.recordsAt(apex, record.name, options))
          if (targetOf(found) === record.value)
            removed = (await this.deleteById(apex, found.id, fqdn, options)) || removed;
      if (removed) await this.refresh(apex, options);
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
    await this.ensureZone(apex, options);
    const name = filter.name === undefined ? undefined : relativeName(absoluteName(filter.name, apex), apex);
    return (await this.recordsAt(apex, name, options)).map((found) => ({
      name: found.subDomain === '' ? '@' : found.subDomain.toLowerCase(),
      type: 'TXT' as const,
      value: targetOf(found),
      ttl: found.ttl,
    }));
  }

  /**
   * TXT records of the zone, optionally at one name: the ids from `GET …/record?fieldType=TXT&subDomain=…`, then each
   * record (a few at a time). The apex is listed without `subDomain` (an empty filter's meaning is not documented)
   * and filtered here; a record deleted between the two reads is skipped.
   */
  private async recordsAt(apex: string, name: string | undefined, options: ProviderCallOptions | undefined) {
    const subDomain = name === undefined ? undefined : subDomainOf(name);
    const path = `/domain/zone/${encodeURIComponent(apex)}/record`;
    const operation = `list TXT records${name === undefined ? '' : ` at ${absoluteName(name, apex)}`} in ${apex}`;
    const ids =
      (await this.api.request<number[]>(
        'GET',
        path,
        { fieldType: 'TXT', ...(subDomain ? { subDomain } : {}) },
        { operation, zone: apex, signal: options?.signal },
      )) ?? [];
    // Records this instance created are known; others are read one GET each.
    const records = await mapWithLimit(ids, this.options.readConcurrency, async (id) =>
      this.createdRecords.has(id)
        ? this.createdRecords.get(id)
        : this.api.request<ApiRecord>(
            'GET',
            `${path}/${id}`,
            {},
            {
              operation,
              zone: apex,
              absentOk: true,
              signal: options?.signal,
            },
          ),
    );
    return records.filter(
      (found): found is ApiRecord =>
        found !== undefined &&
        found.fieldType === 'TXT' &&
        (subDomain === undefined || found.subDomain.toLowerCase() === subDomain),
    );
  }

  private async deleteById(apex: string, id: number, fqdn: string, options: ProviderCallOptions | undefined) {
    const answer = await this.api.request<null>(
      'DELETE',
      `/domain/zone/${encodeURIComponent(apex)}/record/${id}`,
      {},
      { operation: `delete the TXT record at ${fqdn}`, zone: apex, absentOk: true, signal: options?.signal },
    );
    this.createdRecords.delete(id);
    return answer !== undefined;
  }

  /** Applies the zone's pending changes to its nameservers: without it a record exists only in the API. */
  private refresh(apex: string, options: ProviderCallOptions | undefined): Promise<void> {
    return this.refresher.request(apex, async () => {
      await this.api.request(
        'POST',
        `/domain/zone/${encodeURIComponent(apex)}/refresh`,
        {},
        {
          operation: `refresh the zone ${apex}`,
          zone: apex,
          signal: options?.signal,
        },
      );
    });
  }

  /**
   * The zone must be one of the account's, as `GET /domain/zone` lists them (once; a zone not listed is looked for
   * again on the next call). Not `GET /domain/zone/{zone}`: with access rules limited to some zones, that answers 403
   * for every other zone, which would turn "not one of ours" into "bad credentials".
   */
  private async ensureZone(apex: string, options: ProviderCallOptions | undefined): Promise<void> {
    await this.zones.get(apex, async () => {
      if (!(await this.listZones(options)).includes(apex)) throw zoneNotFound(PROVIDER_NAME, apex);
      return true as const;
    });
  }
}

/** OVH's `subDomain` is relative to the zone, `""` for the apex. */
function subDomainOf(name: string): string {
  return name === '@' ? '' : name.toLowerCase();
}

/** OVH may hand TXT targets back in quoted presentation form; both forms are read as the value. */
function targetOf(record: ApiRecord): string {
  return record.target.startsWith('"') ? unquoteTxt(record.target) : record.target;
}
