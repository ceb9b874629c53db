import { CertkeeperError, ErrorCodes, processSecretRedactor } from '@certkeeper/core';
import {
  absoluteName,
  assertValidRecord,
  type DnsProvider,
  type DnsRecord,
  isInZone,
  normalizeName,
  type ProviderCallOptions,
  type RecordFilter,
  relativeName,
  type ZoneLister,
} from '@certkeeper/dns';
import type Cloudflare from 'cloudflare';
import { createCloudflareClient } from './cloudflare-client.js';
import { hasCode, PROVIDER_NAME, statusOf, toProviderError } from './cloudflare-errors.js';
import type { CloudflareOptions } from './cloudflare-options.js';
import { allPages } from './pages.js';
import { quoteContent, unquoteContent } from './txt-content.js';
import { ZoneFinder } from './zones.js';

/** Cloudflare's "automatic" TTL (ttl: 1) is 300 seconds. */
const AUTOMATIC_TTL = 300;

interface TxtRecord {
  readonly id: string;
  readonly name: string;
  readonly content?: string;
  readonly ttl: number;
}

/**
 * The `@certkeeper/dns` provider for Cloudflare DNS.
 *
 * Cloudflare keeps one record per TXT value, so values at one name never interfere: a create adds a record, a
 * delete removes the records whose decoded content equals the value. Creating a value that exists is answered by
 * the API with 81058 ("identical record") and is treated as success, which also makes concurrent creates of one
 * value safe without a lock. Deleting a record someone else already deleted (404) is not an error.
 */
export class CloudflareDnsProvider implements DnsProvider, ZoneLister {
  readonly name = PROVIDER_NAME;
  /** The SDK client in use. */
  readonly client: Cloudflare;
  private readonly zones: ZoneFinder;
  /** Ids of records this instance created, so cleanup can DELETE without listing first (a cache, not a truth). */
  private readonly createdIds = new Map<string, string>();

  constructor(private readonly options: CloudflareOptions = {}) {
    const token = options.apiToken ?? process.env.CLOUDFLARE_API_TOKEN;
    if (!options.client && !token) {
      throw new CertkeeperError(
        ErrorCodes.INVALID_OPTION,
        'The Cloudflare DNS provider needs an API token.',
        {
          hint: 'Pass { apiToken } or set CLOUDFLARE_API_TOKEN to a token with Zone:Zone:Read and Zone:DNS:Edit.',
        },
      );
    }
    (options.redactor ?? processSecretRedactor()).register(token);
    this.client = options.client ?? createCloudflareClient(options, token!);
    this.zones = new ZoneFinder(this.client, {
      ...(options.zoneIds ? { zoneIds: normalizeKeys(options.zoneIds) } : {}),
      ...(options.accountId ? { accountId: options.accountId } : {}),
    });
  }

  async listZones(options?: ProviderCallOptions): Promise<string[]> {
    return this.zones.listZoneNames(options?.signal);
  }

  async createRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<DnsRecord> {
    const apex = checked(zone, record);
    const fqdn = absoluteName(record.name, apex);
    const ttl = Math.min(86_400, Math.max(this.options.minTtl ?? 60, record.ttl));
    return this.inZone(apex, options, async (zoneId) => {
      try {
        const created = await this.client.dns.records.create(
          { zone_id: zoneId, type: 'TXT', name: fqdn, content: quoteContent(record.value), ttl },
          requestOptions(options),
        );
        this.createdIds.set(`${zoneId}|${fqdn}|${record.value}`, created.id);
        return { ...record, ttl: reportedTtl(created.ttl) };
      } catch (error) {
        if (!hasCode(error, 81058)) throw toProviderError(error, `create a TXT record at ${fqdn}`, apex);
      }
      // 81058: the value is already there (an earlier attempt, or another process). Report the stored TTL.
      const existing = (await this.txtRecords(zoneId, fqdn, apex, options)).find(
        (candidate) => unquoteContent(candidate.content ?? '') === record.value,
      );
      return { ...record, ttl: reportedTtl(existing?.ttl ?? ttl) };
    });
  }

  async deleteRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<boolean> {
    const apex = checked(zone, record);
    const fqdn = absoluteName(record.name, apex);
    return this.inZone(apex, options, async (zoneId) => {
      const key = `${zoneId}|${fqdn}|${record.value}`;
      const known = this.createdIds.get(key);
      this.createdIds.delete(key);
      // The id of a record we created ourselves: one DELETE. If it is gone, list to be sure no copy remains.
      if (known && (await this.deleteById(zoneId, known, fqdn, apex, options))) return true;
      const matching = (await this.txtRecords(zoneId, fqdn, apex, options)).filter(
        (candidate) => unquoteContent(candidate.content ?? '') === record.value,
      );
      let removed = false;
      for (const found of matching)
        removed = (await this.deleteById(zoneId, found.id, fqdn, apex, options)) || removed;
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
    const fqdn = filter.name === undefined ? undefined : absoluteName(filter.name, apex);
    return this.inZone(apex, options, async (zoneId) =>
      (await this.txtRecords(zoneId, fqdn, apex, options))
        .filter((found) => isInZone(found.name.toLowerCase(), apex))
        .map((found) => ({
          name: relativeName(found.name.toLowerCase(), apex),
          type: 'TXT' as const,
          value: unquoteContent(found.content ?? ''),
          ttl: reportedTtl(found.ttl),
        })),
    );
  }

  /** Deletes one record; `false` when it was already gone (a concurrent delete: the outcome, not our removal). */
  private async deleteById(
    zoneId: string,
    id: string,
    fqdn: string,
    apex: string,
    options: ProviderCallOptions | undefined,
  ): Promise<boolean> {
    try {
      await this.client.dns.records.delete(id, { zone_id: zoneId }, requestOptions(options));
      return true;
    } catch (error) {
      if (statusOf(error) === 404 || hasCode(error, 81044)) return false;
      throw toProviderError(error, `delete the TXT record at ${fqdn}`, apex);
    }
  }

  /** TXT records of a zone, optionally at one name (`name.exact`), every page. */
  private async txtRecords(
    zoneId: string,
    fqdn: string | undefined,
    apex: string,
    options: ProviderCallOptions | undefined,
  ): Promise<TxtRecord[]> {
    try {
      return await allPages<TxtRecord>(
        (page) =>
          this.client.dns.records.list(
            {
              zone_id: zoneId,
              type: 'TXT',
              ...(fqdn ? { name: { exact: fqdn } } : {}),
              page,
              per_page: this.options.pageSize ?? 100,
            },
            requestOptions(options),
          ) as PromiseLike<{ result: TxtRecord[] }>,
        options?.signal,
      );
    } catch (error) {
      throw toProviderError(error, `list TXT records${fqdn ? ` at ${fqdn}` : ` in ${apex}`}`, apex);
    }
  }

  private async inZone<T>(
    apex: string,
    options: ProviderCallOptions | undefined,
    run: (zoneId: string) => Promise<T>,
  ): Promise<T> {
    const { id } = await this.zones.resolve(apex, options?.signal);
    try {
      return await run(id);
    } catch (error) {
      // The zone id stopped routing (zone deleted or moved to another account): look it up again next time.
      if (CertkeeperError.isInstance(error) && error.code === ErrorCodes.DNS_ZONE_NOT_FOUND)
        this.zones.forget(apex);
      throw error;
    }
  }
}

function checked(zone: string, record: DnsRecord): string {
  const apex = normalizeName(zone);
  assertValidRecord(apex, record);
  return apex;
}

function reportedTtl(ttl: number): number {
  return ttl === 1 ? AUTOMATIC_TTL : ttl;
}

function requestOptions(options: ProviderCallOptions | undefined): { signal?: AbortSignal } {
  return options?.signal ? { signal: options.signal } : {};
}

function normalizeKeys(ids: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(ids).map(([zone, id]) => [normalizeName(zone), id]));
}
