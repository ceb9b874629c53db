import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import {
  AsyncCache,
  absoluteName,
  collectOffsetPages,
  type DnsProvider,
  type DnsRecord,
  KeyedMutex,
  locateRecord,
  normalizeName,
  type ProviderCallOptions,
  providerFailed,
  type RecordFilter,
  relativeName,
  unquoteTxt,
  type ZoneLister,
  zoneNotFound,
} from '@certkeeper/dns';
import { ClientError, DNSimple, NotFoundError, type ZoneRecord } from 'dnsimple';
import { type CallContext, DnsimpleTransport, PROVIDER_NAME } from './dnsimple-transport.js';
import { type DnsimpleOptions, MIN_TTL, type ResolvedOptions, resolveOptions } from './options.js';

/**
 * The `@certkeeper/dns` provider for DNSimple, through the official `dnsimple` SDK (zones and zone records of one
 * account, `/v2/{account}/zones/{zone}/records`) over the shared bounded HTTP client.
 *
 * DNSimple keeps one record per TXT value, so values at one name never interfere. A create looks for the value first
 * (idempotence) and treats "already exists" as success; a delete removes every record carrying the value. Record
 * ids this instance created are remembered, so cleanup deletes by id without listing.
 */
export class DnsimpleDnsProvider implements DnsProvider, ZoneLister {
  readonly name = PROVIDER_NAME;
  /** The SDK client in use. */
  readonly client: DNSimple;
  private readonly options: ResolvedOptions;
  private readonly transport: DnsimpleTransport;
  private readonly account = new AsyncCache<number>();
  private readonly zones = new AsyncCache<true>();
  private readonly locks = new KeyedMutex();
  private readonly createdIds = new Map<string, number>();

  constructor(options: DnsimpleOptions = {}) {
    this.options = resolveOptions(options);
    this.options.redactor.register(this.options.apiToken);
    this.transport = new DnsimpleTransport(this.options);
    this.client = new DNSimple({
      accessToken: this.options.apiToken,
      baseUrl: this.options.baseUrl,
      fetcher: this.transport.fetcher,
      timeout: this.options.timeoutMs,
      userAgent: 'certkeeper',
    });
  }

  async listZones(options?: ProviderCallOptions): Promise<string[]> {
    const account = await this.accountId(options);
    const zones = await this.call({ operation: 'list zones', signal: options?.signal }, () =>
      collectOffsetPages(
        async (page) => {
          const answer = await this.client.zones.listZones(account, {
            page,
            per_page: this.options.pageSize,
          });
          return pageOf(answer);
        },
        { provider: PROVIDER_NAME, operation: 'list zones' },
      ),
    );
    const names = zones.map((zone) => normalizeName(zone.name));
    for (const name of names) this.zones.set(name, true);
    return names;
  }

  async createRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<DnsRecord> {
    const { apex, fqdn } = locateRecord(zone, record);
    const account = await this.ensureZone(apex, options);
    const key = `${fqdn}|${record.value}`;
    // One create per value at a time in this process, so two calls cannot both find it absent and both post it.
    return this.locks.run(key, async () => {
      const existing = await this.find(account, apex, record, options);
      if (existing) return { ...record, ttl: existing.ttl };
      const operation = `create the TXT record at ${fqdn}`;
      try {
        const { data } = await this.call(
          { operation, zone: apex, accept: [400], idempotent: false, signal: options?.signal },
          () =>
            this.client.zones.createZoneRecord(account, apex, {
              name: apiName(record.name),
              type: 'TXT',
              content: record.value,
              ttl: Math.max(MIN_TTL, record.ttl),
            }),
        );
        this.createdIds.set(key, data.id);
        return { ...record, ttl: data.ttl };
      } catch (error) {
        if (!(error instanceof ClientError)) throw error;
        // Another process created the same value meanwhile ("already exists"): fine if it is there now.
        const again = await this.find(account, apex, record, options);
        if (again) return { ...record, ttl: again.ttl };
        throw providerFailed(
          PROVIDER_NAME,
          operation,
          `HTTP ${error.status}: ${describeClientError(error)}`,
          {
            retryable: false,
            cause: error,
          },
        );
      }
    });
  }

  async deleteRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<boolean> {
    const { apex, fqdn } = locateRecord(zone, record);
    const account = await this.ensureZone(apex, options);
    const key = `${fqdn}|${record.value}`;
    return this.locks.run(key, async () => {
      const known = this.createdIds.get(key);
      this.createdIds.delete(key);
      // The id of a record we created: one DELETE. If it is already gone, list to be sure no copy remains.
      if (known !== undefined && (await this.deleteById(account, apex, known, fqdn, options))) return true;
      let removed = false;
      for (const found of await this.recordsAt(account, apex, record.name, options))
        if (contentOf(found) === record.value)
          removed = (await this.deleteById(account, apex, found.id, fqdn, options)) || removed;
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
    const account = await this.ensureZone(apex, options);
    const name = filter.name === undefined ? undefined : relativeName(absoluteName(filter.name, apex), apex);
    return (await this.recordsAt(account, apex, name, options)).map((found) => ({
      name: found.name === '' ? '@' : found.name.toLowerCase(),
      type: 'TXT' as const,
      value: contentOf(found),
      ttl: found.ttl,
    }));
  }

  private async find(account: number, apex: string, record: DnsRecord, options?: ProviderCallOptions) {
    return (await this.recordsAt(account, apex, record.name, options)).find(
      (found) => contentOf(found) === record.value,
    );
  }

  /** TXT records of the zone, optionally at one name (the API's exact `name` filter, `""` for the apex). */
  private recordsAt(
    account: number,
    apex: string,
    name: string | undefined,
    options: ProviderCallOptions | undefined,
  ): Promise<ZoneRecord[]> {
    const operation = `list TXT records${name === undefined ? '' : ` at ${absoluteName(name, apex)}`} in ${apex}`;
    return this.call({ operation, zone: apex, signal: options?.signal }, async () => {
      const records = await collectOffsetPages(
        async (page) =>
          pageOf(
            await this.client.zones.listZoneRecords(account, apex, {
              ...(name === undefined ? {} : { name: apiName(name) }),
              type: 'TXT',
              page,
              per_page: this.options.pageSize,
            }),
          ),
        { provider: PROVIDER_NAME, operation },
      );
      // Filtered here too: a server that ignored the filter must not widen a delete.
      return records.filter(
        (found) => found.type === 'TXT' && (name === undefined || found.name.toLowerCase() === apiName(name)),
      );
    });
  }

  private async deleteById(
    account: number,
    apex: string,
    id: number,
    fqdn: string,
    options: ProviderCallOptions | undefined,
  ): Promise<boolean> {
    try {
      await this.call(
        { operation: `delete the TXT record at ${fqdn}`, zone: apex, accept: [404], signal: options?.signal },
        () => this.client.zones.deleteZoneRecord(account, apex, id),
      );
      return true;
    } catch (error) {
      if (error instanceof NotFoundError) return false;
      throw error;
    }
  }

  /** The zone must be in the account: `GET /v2/{account}/zones/{zone}` once per zone (404 → DNS_ZONE_NOT_FOUND). */
  private async ensureZone(apex: string, options: ProviderCallOptions | undefined): Promise<number> {
    const account = await this.accountId(options);
    await this.zones.get(apex, async () => {
      try {
        await this.call(
          { operation: `look up the zone ${apex}`, zone: apex, accept: [404], signal: options?.signal },
          () => this.client.zones.getZone(account, apex),
        );
      } catch (error) {
        if (error instanceof NotFoundError) throw zoneNotFound(PROVIDER_NAME, apex);
        throw error;
      }
      return true as const;
    });
    return account;
  }

  /** The configured account, else the token's own, asked once from `/v2/whoami`. */
  private accountId(options: ProviderCallOptions | undefined): Promise<number> {
    const configured = this.options.accountId;
    if (configured !== undefined) return Promise.resolve(configured);
    return this.account.get('whoami', async () => {
      const { data } = await this.call(
        { operation: 'find the account of the token', signal: options?.signal },
        () => this.client.identity.whoami(),
      );
      if (data.account?.id) return data.account.id;
      throw new CertkeeperError(
        ErrorCodes.INVALID_OPTION,
        'The DNSimple token is a user token, which can reach several accounts: the provider needs the account id.',
        {
          hint: 'Set the DNSimple option accountId, or use an account access token of the account holding the zones.',
        },
      );
    });
  }

  private call<T>(context: CallContext, run: () => Promise<T>): Promise<T> {
    return this.transport.run(context, run);
  }
}

/** The API's names are relative, `""` for the apex. */
function apiName(name: string): string {
  return name === '@' ? '' : name.toLowerCase();
}

/**
 * TXT content read back in presentation format (quoted) is decoded; unquoted content is taken as is. Which form
 * DNSimple returns is not documented, so both are read.
 */
function contentOf(record: ZoneRecord): string {
  return record.content.startsWith('"') ? unquoteTxt(record.content) : record.content;
}

function pageOf<T>(answer: { data: T[]; pagination: { total_pages: number; total_entries: number } }) {
  return { items: answer.data, pages: answer.pagination.total_pages, total: answer.pagination.total_entries };
}

function describeClientError(error: ClientError): string {
  const data = error.data as { message?: unknown; errors?: unknown } | undefined;
  const message = typeof data?.message === 'string' ? data.message : error.message;
  return data?.errors ? `${message} ${JSON.stringify(data.errors)}` : message;
}
