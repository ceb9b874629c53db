import {
  absoluteName,
  type DnsProvider,
  type DnsRecord,
  isInZone,
  locateRecord,
  normalizeName,
  type ProviderCallOptions,
  type ProviderHttpClient,
  providerFailed,
  type RecordFilter,
  relativeName,
  zoneNotFound,
} from '@certkeeper/dns';
import { createApi, PROVIDER_NAME } from './httpreq-api.js';
import { type HttpreqOptions, type ResolvedOptions, resolveOptions } from './options.js';

interface ListedRecord {
  readonly fqdn?: unknown;
  readonly value?: unknown;
  readonly ttl?: unknown;
}

/**
 * A DNS provider that calls an HTTP webhook compatible with lego's `httpreq` provider (default mode): `POST
 * {endpoint}/present` and `POST {endpoint}/cleanup` with `{"fqdn": "_acme-challenge.example.com.", "value": "…"}`,
 * optionally with basic authentication. Any 2xx is success. So any in-house DNS API can be wired without code.
 *
 * Conventions beyond lego, for errors a server wants certkeeper to understand: 401/403 → credentials rejected,
 * 404 → no zone holds the name, 429/5xx → retry later (with `Retry-After`). `POST {endpoint}/list` is an optional
 * extension (`list: true`) that `listRecords` needs.
 */
export class HttpreqDnsProvider implements DnsProvider {
  readonly name = PROVIDER_NAME;
  private readonly options: ResolvedOptions;
  private readonly api: ProviderHttpClient;

  constructor(options: HttpreqOptions) {
    this.options = resolveOptions(options);
    this.api = createApi(this.options);
  }

  async createRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<DnsRecord> {
    const { apex, fqdn } = locateRecord(zone, record);
    await this.post(
      'present',
      apex,
      { fqdn: `${fqdn}.`, value: record.value },
      `present the TXT value at ${fqdn}`,
      options,
    );
    // lego's protocol carries no TTL: the server chooses it. With the list extension, report the one it stored.
    if (!this.options.list) return { ...record };
    const stored = (await this.listRecords(apex, { name: record.name }, options)).find(
      (found) => found.value === record.value,
    );
    return { ...record, ttl: stored?.ttl ?? record.ttl };
  }

  async deleteRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<boolean> {
    const { apex, fqdn } = locateRecord(zone, record);
    const existed = this.options.list
      ? (await this.listRecords(apex, { name: record.name }, options)).some(
          (found) => found.value === record.value,
        )
      : true;
    await this.post(
      'cleanup',
      apex,
      { fqdn: `${fqdn}.`, value: record.value },
      `clean up the TXT value at ${fqdn}`,
      options,
    );
    return existed;
  }

  async listRecords(
    zone: string,
    filter: RecordFilter = {},
    options?: ProviderCallOptions,
  ): Promise<DnsRecord[]> {
    const apex = normalizeName(zone);
    if (!this.options.list)
      throw providerFailed(
        PROVIDER_NAME,
        `list records in zone ${apex}`,
        'the webhook has no list endpoint configured (option list: true, for a server that implements POST /list)',
        { retryable: false },
      );
    if (filter.type !== undefined && filter.type !== 'TXT') return [];
    const fqdn = filter.name === undefined ? undefined : absoluteName(filter.name, apex);
    const body = await this.post(
      'list',
      apex,
      { zone: `${apex}.`, ...(fqdn ? { fqdn: `${fqdn}.` } : {}) },
      `list TXT records in ${apex}`,
      options,
      true,
    );
    if (!Array.isArray(body))
      throw providerFailed(
        PROVIDER_NAME,
        `list TXT records in ${apex}`,
        'POST /list did not answer a JSON array',
        {
          retryable: false,
        },
      );
    return (body as ListedRecord[]).flatMap((entry) => {
      if (typeof entry.fqdn !== 'string' || typeof entry.value !== 'string') return [];
      const name = normalizeName(entry.fqdn);
      if (!isInZone(name, apex) || (fqdn !== undefined && name !== fqdn)) return [];
      const ttl = typeof entry.ttl === 'number' && Number.isInteger(entry.ttl) ? entry.ttl : 0;
      return [{ name: relativeName(name, apex), type: 'TXT' as const, value: entry.value, ttl }];
    });
  }

  private async post(
    action: 'present' | 'cleanup' | 'list',
    apex: string,
    body: unknown,
    operation: string,
    options: ProviderCallOptions | undefined,
    json = false,
  ): Promise<unknown> {
    const answer = await this.api.request({
      method: 'POST',
      path: action,
      body,
      operation,
      zone: apex,
      accept: [404],
      ignoreBody: !json,
      // A present that timed out may have been applied; whether a second one adds a second record is the server's.
      idempotent: action !== 'present',
      signal: options?.signal,
    });
    if (answer.status === 404) throw zoneNotFound(PROVIDER_NAME, apex);
    return answer.body;
  }
}
