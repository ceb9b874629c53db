import { DnsManagementClient } from '@azure/arm-dns';
import { processSecretRedactor } from '@certkeeper/core';
import {
  absoluteName,
  type DnsProvider,
  type DnsRecord,
  KeyedMutex,
  locateRecord,
  normalizeName,
  type ProviderCallOptions,
  type RecordFilter,
  relativeName,
  type ZoneLister,
} from '@certkeeper/dns';
import { createCredential } from './credentials.js';
import { DnsZones } from './dns-zones.js';
import { type AzureDnsOptions, PROVIDER_NAME, resolveOptions } from './options.js';
import { TxtRecordSets } from './txt-record-sets.js';

/**
 * The `@certkeeper/dns` provider for Azure DNS, through the official Resource Manager SDK (`@azure/arm-dns`) and
 * Entra ID credentials (`@azure/identity`). A name's TXT values are one record set: a create merges its value in, a
 * delete keeps the others (the set goes with its last value); writes are conditional on the etag, so concurrent
 * writers are safe (see {@link TxtRecordSets}).
 */
export class AzureDnsProvider implements DnsProvider, ZoneLister {
  readonly name = PROVIDER_NAME;
  /** The SDK client in use. */
  readonly client: DnsManagementClient;
  private readonly zones: DnsZones;
  private readonly sets: TxtRecordSets;
  private readonly locks = new KeyedMutex();

  constructor(options: AzureDnsOptions = {}) {
    const resolved = resolveOptions(options);
    (options.redactor ?? processSecretRedactor()).register(resolved.clientSecret);
    this.client = new DnsManagementClient(createCredential(resolved), resolved.subscriptionId, {
      endpoint: resolved.armEndpoint,
      ...(resolved.agent ? { agent: resolved.agent } : {}),
      // The SDK would wait out any Retry-After (ARM throttling asks for minutes); callArm retries briefly instead.
      retryOptions: { maxRetries: 0 },
      userAgentOptions: { userAgentPrefix: 'certkeeper' },
    });
    this.zones = new DnsZones(this.client, resolved);
    this.sets = new TxtRecordSets(this.client, resolved);
  }

  listZones(options?: ProviderCallOptions): Promise<string[]> {
    return this.zones.names(options);
  }

  async createRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<DnsRecord> {
    const { apex, fqdn } = locateRecord(zone, record);
    const found = await this.zones.find(apex, options);
    return this.locks.run(fqdn, async () => {
      const written = await this.sets.modify(
        found,
        relativeName(fqdn, apex),
        (current) => {
          if (current?.values.includes(record.value)) return undefined; // already there: nothing written
          return { values: [...(current?.values ?? []), record.value], ttl: record.ttl };
        },
        options,
      );
      return { ...record, ttl: written?.ttl ?? record.ttl };
    });
  }

  async deleteRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<boolean> {
    const { apex, fqdn } = locateRecord(zone, record);
    const found = await this.zones.find(apex, options);
    return this.locks.run(fqdn, async () => {
      let removed = false;
      await this.sets.modify(
        found,
        relativeName(fqdn, apex),
        (current) => {
          removed = current?.values.includes(record.value) === true;
          if (!current || !removed) return undefined;
          return { values: current.values.filter((value) => value !== record.value), ttl: current.ttl };
        },
        options,
      );
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
    const found = await this.zones.find(apex, options);
    const sets =
      filter.name === undefined
        ? await this.sets.list(found, options)
        : await this.sets
            .read(found, relativeName(absoluteName(filter.name, apex), apex), options)
            .then((set) =>
              set ? [{ relative: relativeName(absoluteName(filter.name!, apex), apex), set }] : [],
            );
    return sets.flatMap(({ relative, set }) =>
      set.values.map((value) => ({
        name: relativeName(absoluteName(relative, apex), apex),
        type: 'TXT' as const,
        value,
        ttl: set.ttl,
      })),
    );
  }
}
