import { processSecretRedactor, type SecretRedactor } from '@certkeeper/core';
import {
  absoluteName,
  type ChangeBatcher,
  type ChangeSet,
  type DnsProvider,
  type DnsRecord,
  KeyedMutex,
  locateRecord,
  normalizeName,
  type ProviderCallOptions,
  type RecordFilter,
  relativeName,
  unquoteTxt,
  type ZoneLister,
} from '@certkeeper/dns';
import { AccessTokens } from './access-tokens.js';
import { CloudDnsApi } from './cloud-dns-api.js';
import { ManagedZones } from './managed-zones.js';
import { type GoogleCloudDnsOptions, PROVIDER_NAME, resolveOptions } from './options.js';
import { RrsetWriter } from './rrset-writer.js';

/** Cloud DNS's smallest TTL is 0; certkeeper's records ask for 60 or more, so the requested TTL is kept as is. */
export interface GoogleCloudDnsProviderOptions extends GoogleCloudDnsOptions {
  /** Where secrets read here are registered so no message repeats them. Default: the process's. */
  readonly redactor?: SecretRedactor;
}

/**
 * The `@certkeeper/dns` provider for Google Cloud DNS (REST API v1). A name's TXT values live in one record set,
 * replaced whole through a change: a create adds its value to the set, a delete writes the set without it (or
 * deletes the set with the last value). Writes at one name are serialised in this process, and across processes
 * the change's exact `deletions` make a stale write fail and be redone (see {@link RrsetWriter}). `applyChanges`
 * writes every name of one order in one change.
 */
export class GoogleCloudDnsProvider implements DnsProvider, ZoneLister, ChangeBatcher {
  readonly name = PROVIDER_NAME;
  private readonly api: CloudDnsApi;
  private readonly zones: ManagedZones;
  private readonly writer: RrsetWriter;
  private readonly locks = new KeyedMutex();

  constructor(options: GoogleCloudDnsProviderOptions = {}) {
    const resolved = resolveOptions(options);
    this.api = new CloudDnsApi(
      resolved,
      new AccessTokens(resolved, options.redactor ?? processSecretRedactor()),
    );
    this.zones = new ManagedZones(this.api, resolved.managedZone);
    this.writer = new RrsetWriter(this.api, resolved);
  }

  listZones(options?: ProviderCallOptions): Promise<string[]> {
    return this.zones.list(options);
  }

  async createRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<DnsRecord> {
    const { apex, fqdn } = locateRecord(zone, record);
    const zonePath = await this.zonePath(apex, options);
    return this.locks.run(fqdn, async () => {
      const written = await this.writer.modify(
        zonePath,
        fqdn,
        (current) => {
          // Already there: idempotent, nothing written, the stored TTL reported.
          if (current?.values.includes(record.value)) return undefined;
          return { values: [...(current?.values ?? []), record.value], ttl: record.ttl };
        },
        options,
      );
      return { ...record, ttl: written?.ttl ?? record.ttl };
    });
  }

  async deleteRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<boolean> {
    const { apex, fqdn } = locateRecord(zone, record);
    const zonePath = await this.zonePath(apex, options);
    return this.locks.run(fqdn, async () => {
      let removed = false;
      await this.writer.modify(
        zonePath,
        fqdn,
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

  async applyChanges(zone: string, changes: ChangeSet, options?: ProviderCallOptions): Promise<void> {
    const records = [...changes.create, ...changes.delete];
    if (records.length === 0) return;
    const located = records.map((record) => locateRecord(zone, record));
    const apex = located[0]!.apex;
    const byName = new Map<string, { add: string[]; remove: string[]; ttl: number }>();
    for (const [index, record] of changes.create.entries())
      entryOf(byName, located[index]!.fqdn, record.ttl).add.push(record.value);
    for (const [index, record] of changes.delete.entries())
      entryOf(byName, located[changes.create.length + index]!.fqdn, record.ttl).remove.push(record.value);
    const edits = new Map(
      [...byName].map(([fqdn, { add, remove, ttl }]) => [
        fqdn,
        (current: { values: string[]; ttl: number } | undefined) => {
          const kept = (current?.values ?? []).filter((value) => !remove.includes(value));
          const values = [
            ...kept,
            ...add.filter((value) => !kept.includes(value) && !remove.includes(value)),
          ];
          const same =
            values.length === (current?.values.length ?? 0) &&
            values.every((value) => current?.values.includes(value));
          if (same) return undefined; // nothing to add or remove: idempotent, nothing written
          return { values, ttl: add.length > 0 ? ttl : (current?.ttl ?? ttl) };
        },
      ]),
    );
    await this.writer.modifyMany(await this.zonePath(apex, options), edits, options);
  }

  async listRecords(
    zone: string,
    filter: RecordFilter = {},
    options?: ProviderCallOptions,
  ): Promise<DnsRecord[]> {
    const apex = normalizeName(zone);
    if (filter.type !== undefined && filter.type !== 'TXT') return [];
    const zonePath = await this.zonePath(apex, options);
    const name = filter.name === undefined ? undefined : `${absoluteName(filter.name, apex)}.`;
    const sets = await this.api.allPages<{ name: string; type: string; ttl: number; rrdatas: string[] }>(
      `${zonePath}/rrsets`,
      { type: name ? 'TXT' : undefined, name },
      'rrsets',
      { operation: `list TXT records in ${apex}`, zone: apex },
      options,
    );
    return sets
      .filter((set) => set.type === 'TXT' && (name === undefined || set.name.toLowerCase() === name))
      .flatMap((set) =>
        set.rrdatas.map((data) => ({
          name: relativeName(normalizeName(set.name), apex),
          type: 'TXT' as const,
          value: unquoteTxt(data),
          ttl: set.ttl,
        })),
      );
  }

  private async zonePath(apex: string, options?: ProviderCallOptions): Promise<string> {
    const managedZone = await this.zones.nameOf(apex, options);
    return `${await this.api.projectPath()}managedZones/${encodeURIComponent(managedZone)}`;
  }
}

function entryOf(
  byName: Map<string, { add: string[]; remove: string[]; ttl: number }>,
  fqdn: string,
  ttl: number,
): { add: string[]; remove: string[]; ttl: number } {
  const found = byName.get(fqdn) ?? { add: [], remove: [], ttl };
  byName.set(fqdn, found);
  return found;
}
