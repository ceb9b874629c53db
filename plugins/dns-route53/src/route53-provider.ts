import { Route53Client } from '@aws-sdk/client-route-53';
import { CertkeeperError, ErrorCodes, processSecretRedactor } from '@certkeeper/core';
import {
  absoluteName,
  assertValidRecord,
  type ChangeBatcher,
  type ChangeSet,
  type DnsProvider,
  type DnsRecord,
  isInZone,
  KeyedMutex,
  normalizeName,
  type ProviderCallOptions,
  type RecordFilter,
  relativeName,
  type ZoneLister,
} from '@certkeeper/dns';
import { waitForInsync } from './change-waiter.js';
import { HostedZoneFinder, type ResolvedZone } from './hosted-zones.js';
import { type NameChange, RecordSetWriter, type WriteOutcome } from './record-set-writer.js';
import { listRecordSets, readTxtSet, type TxtRecordSet, toTxtSet } from './record-sets.js';
import { PROVIDER_NAME } from './route53-errors.js';
import { fromRoute53Name } from './route53-names.js';
import type { Route53Options } from './route53-options.js';
import { unquoteTxt } from './txt-quoting.js';

/**
 * The `@certkeeper/dns` provider for Amazon Route 53.
 *
 * - Each TXT value is reported as its own record although Route 53 stores one record set per name; writes keep
 *   every other value at the name (see {@link RecordSetWriter} for how concurrent writers are kept from losing
 *   values).
 * - `applyChanges` sends one change batch per zone: an order of N names costs N reads, one write and the
 *   GetChange polls.
 * - Safe for concurrent use. Resolves once the change is INSYNC (bounded by `syncTimeoutMs`).
 */
export class Route53DnsProvider implements DnsProvider, ZoneLister, ChangeBatcher {
  readonly name = PROVIDER_NAME;
  /** The SDK client in use (for tests and for callers adding middleware). */
  readonly client: Route53Client;
  private readonly zones: HostedZoneFinder;
  private readonly writer: RecordSetWriter;

  constructor(private readonly options: Route53Options = {}) {
    const credentials = options.credentials;
    if (credentials && typeof credentials === 'object') {
      // Static credentials: the session token travels in a header a hostile endpoint can echo.
      const redactor = options.redactor ?? processSecretRedactor();
      redactor.register(credentials.secretAccessKey);
      redactor.register(credentials.sessionToken);
    }
    this.client = options.client ?? createClient(options);
    this.zones = new HostedZoneFinder(
      this.client,
      options.hostedZoneIds ? { hostedZoneIds: normalizeKeys(options.hostedZoneIds) } : {},
    );
    this.writer = new RecordSetWriter(this.client, new KeyedMutex(), options);
  }

  async listZones(options?: ProviderCallOptions): Promise<string[]> {
    return this.zones.listZoneNames(options?.signal);
  }

  async createRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<DnsRecord> {
    const apex = checked(zone, [record]);
    const fqdn = absoluteName(record.name, apex);
    const outcome = await this.write(
      apex,
      [{ fqdn, add: [record.value], remove: [], ttl: record.ttl }],
      options,
    );
    return { ...record, ttl: outcome.names.get(fqdn)?.ttl ?? record.ttl };
  }

  async deleteRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<boolean> {
    const apex = checked(zone, [record]);
    const fqdn = absoluteName(record.name, apex);
    const outcome = await this.write(
      apex,
      [{ fqdn, add: [], remove: [record.value], ttl: record.ttl }],
      options,
    );
    return (outcome.names.get(fqdn)?.removed ?? 0) > 0;
  }

  async applyChanges(zone: string, changes: ChangeSet, options?: ProviderCallOptions): Promise<void> {
    const apex = checked(zone, [...changes.create, ...changes.delete]);
    const byName = new Map<string, { add: string[]; remove: string[]; ttl: number }>();
    const entry = (record: DnsRecord) => {
      const fqdn = absoluteName(record.name, apex);
      const found = byName.get(fqdn) ?? { add: [], remove: [], ttl: record.ttl };
      byName.set(fqdn, found);
      return found;
    };
    for (const record of changes.create) entry(record).add.push(record.value);
    for (const record of changes.delete) entry(record).remove.push(record.value);
    if (byName.size === 0) return;
    await this.write(
      apex,
      [...byName].map(([fqdn, change]) => ({ fqdn, ...change })),
      options,
    );
  }

  async listRecords(
    zone: string,
    filter: RecordFilter = {},
    options?: ProviderCallOptions,
  ): Promise<DnsRecord[]> {
    const apex = checked(zone, []);
    if (filter.type !== undefined && filter.type !== 'TXT') return [];
    return this.withZone(apex, options, async (hosted) => {
      if (filter.name !== undefined) {
        const fqdn = absoluteName(filter.name, apex);
        const set = await readTxtSet(this.client, hosted.id, fqdn, apex, options?.signal);
        return set ? toRecords(set, fqdn, apex) : [];
      }
      const records: DnsRecord[] = [];
      for await (const set of listRecordSets(this.client, hosted.id, apex, { signal: options?.signal })) {
        const fqdn = fromRoute53Name(set.Name ?? '');
        if (set.Type !== 'TXT' || !isInZone(fqdn, apex) || set.SetIdentifier !== undefined) continue;
        records.push(...toRecords(toTxtSet(set, fqdn), fqdn, apex));
      }
      return records;
    });
  }

  private async write(
    apex: string,
    changes: readonly NameChange[],
    options: ProviderCallOptions | undefined,
  ): Promise<WriteOutcome> {
    const outcome = await this.withZone(apex, options, (hosted) =>
      this.writer.write(hosted, apex, changes, options?.signal),
    );
    // Outside the per-name lock: INSYNC takes tens of seconds on the real service, and other writers at the same
    // name should not queue behind our wait.
    if (outcome.changeId && this.options.waitForSync !== false) {
      await waitForInsync(
        this.client,
        outcome.changeId,
        {
          timeoutMs: this.options.syncTimeoutMs ?? 120_000,
          intervalMs: this.options.syncPollIntervalMs ?? 2000,
        },
        options?.signal,
      );
    }
    return outcome;
  }

  private async withZone<T>(
    apex: string,
    options: ProviderCallOptions | undefined,
    run: (hosted: ResolvedZone) => Promise<T>,
  ): Promise<T> {
    const hosted = await this.zones.resolve(apex, options?.signal);
    try {
      return await run(hosted);
    } catch (error) {
      // NoSuchHostedZone for an id we looked up earlier: the zone was deleted (or re-created); ask again next time.
      if (CertkeeperError.isInstance(error) && error.code === ErrorCodes.DNS_ZONE_NOT_FOUND)
        this.zones.forget(apex);
      throw error;
    }
  }
}

function createClient(options: Route53Options): Route53Client {
  return new Route53Client({
    region: options.region ?? 'us-east-1',
    maxAttempts: options.maxAttempts ?? 5,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.profile ? { profile: options.profile } : {}),
  });
}

/** Normalises the zone and validates every record before any network call. */
function checked(zone: string, records: readonly DnsRecord[]): string {
  const apex = normalizeName(zone);
  for (const record of records) assertValidRecord(apex, record);
  return apex;
}

function toRecords(set: TxtRecordSet, fqdn: string, apex: string): DnsRecord[] {
  const name = relativeName(fqdn, apex);
  return set.values.map((raw) => ({ name, type: 'TXT' as const, value: unquoteTxt(raw), ttl: set.ttl }));
}

function normalizeKeys(ids: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(ids).map(([zone, id]) => [normalizeName(zone), id]));
}
