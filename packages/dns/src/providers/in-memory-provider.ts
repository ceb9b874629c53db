import { normalizeName } from '../names/dns-name.js';
import type {
  ChangeBatcher,
  DnsProvider,
  ProviderCallOptions,
  ZoneLister,
} from '../provider/dns-provider.js';
import {
  assertValidRecord,
  type ChangeSet,
  type DnsRecord,
  type RecordFilter,
  sameRecord,
} from '../provider/dns-record.js';
import { providerFailed, providerUnauthorized, zoneNotFound } from '../provider/provider-errors.js';
import { type RetryOptions, withProviderRetry } from '../provider/provider-retry.js';

export type InMemoryOperation =
  | 'createRecord'
  | 'deleteRecord'
  | 'listRecords'
  | 'listZones'
  | 'applyChanges';

/** A failure the provider simulates, for tests of retries and of cleanup after a failed publish. */
export interface InjectedFailure {
  readonly operation?: InMemoryOperation;
  /** Only fail calls touching a matching record (any record of a batch). */
  readonly match?: (record: DnsRecord) => boolean;
  /** How many calls fail before the rule is spent. Default: every call. */
  readonly times?: number;
  /** `transient` behaves like HTTP 503 (retried briefly by the provider); `permanent` like a rejected request. */
  readonly kind: 'transient' | 'permanent';
}

export interface InMemoryProviderOptions {
  /** Zones this fake account hosts; calls for other zones throw `DNS_ZONE_NOT_FOUND`. */
  readonly zones: readonly string[];
  /** Credentials presented; when `acceptedCredentials` is set and differs, every call is unauthorized. */
  readonly credentials?: string;
  readonly acceptedCredentials?: string;
  /** Simulated API latency per call, so concurrency bugs in callers show up. Default 0. */
  readonly latencyMs?: number;
  /** A provider-side minimum TTL: lower TTLs are raised to it (and reported), as many hosted DNS APIs do. */
  readonly minTtl?: number;
  /** Retry behaviour for transient failures. Default 3 attempts, 10 ms apart. */
  readonly retry?: RetryOptions;
}

/** One API call as the provider saw it, so tests can assert batching and call counts. */
export interface InMemoryCall {
  readonly operation: InMemoryOperation;
  readonly zone?: string;
  readonly records: readonly DnsRecord[];
}

/**
 * The reference provider: realistic semantics with no network. Zones must exist; each TXT value is its own
 * record; create/delete are idempotent and exact; supports `listZones` and `applyChanges` (atomic). It passes
 * the conformance kit, which proves the kit passable (libdns's "double entry").
 */
export class InMemoryDnsProvider implements DnsProvider, ZoneLister, ChangeBatcher {
  readonly name = 'in-memory';
  readonly calls: InMemoryCall[] = [];
  private zones = new Map<string, DnsRecord[]>();
  private readonly failures: { rule: InjectedFailure; remaining: number }[] = [];

  constructor(private readonly options: InMemoryProviderOptions) {
    for (const zone of options.zones) this.zones.set(normalizeName(zone), []);
  }

  /**
   * Another provider object over the same zones, with its own calls, failures and options: what a second
   * process talking to the same service holds (the conformance kit's two-instance case).
   */
  twin(options: Partial<Omit<InMemoryProviderOptions, 'zones'>> = {}): InMemoryDnsProvider {
    const twin = new InMemoryDnsProvider({ ...this.options, ...options, zones: [] });
    twin.zones = this.zones;
    return twin;
  }

  /** Makes matching calls fail until the rule is spent. */
  injectFailure(rule: InjectedFailure): void {
    this.failures.push({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY });
  }

  /** Synchronous copy of a zone's records (no failures, no latency), for in-process DNS servers in tests. */
  snapshot(zone: string): DnsRecord[] {
    return [...(this.zones.get(normalizeName(zone)) ?? [])];
  }

  async listZones(options?: ProviderCallOptions): Promise<string[]> {
    return this.call('listZones', undefined, [], options, () => [...this.zones.keys()]);
  }

  async createRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<DnsRecord> {
    return this.call('createRecord', zone, [record], options, (records) => this.add(records, record));
  }

  async deleteRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<boolean> {
    return this.call('deleteRecord', zone, [record], options, (records) => this.remove(records, record));
  }

  async listRecords(
    zone: string,
    filter: RecordFilter = {},
    options?: ProviderCallOptions,
  ): Promise<DnsRecord[]> {
    return this.call('listRecords', zone, [], options, (records) =>
      records.filter(
        (record) =>
          (filter.name === undefined || record.name === filter.name) &&
          (filter.type === undefined || record.type === filter.type),
      ),
    );
  }

  async applyChanges(zone: string, changes: ChangeSet, options?: ProviderCallOptions): Promise<void> {
    const touched = [...changes.create, ...changes.delete];
    await this.call('applyChanges', zone, touched, options, (records) => {
      // Atomic like a Route 53 change batch: every check above ran before any change below.
      for (const record of changes.create) this.add(records, record);
      for (const record of changes.delete) this.remove(records, record);
    });
  }

  private async call<T>(
    operation: InMemoryOperation,
    zone: string | undefined,
    records: readonly DnsRecord[],
    options: ProviderCallOptions | undefined,
    apply: (zoneRecords: DnsRecord[]) => T,
  ): Promise<T> {
    return withProviderRetry(
      async () => {
        this.calls.push({ operation, ...(zone === undefined ? {} : { zone }), records });
        if (this.options.latencyMs)
          await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
        if (
          this.options.acceptedCredentials !== undefined &&
          this.options.credentials !== this.options.acceptedCredentials
        ) {
          throw providerUnauthorized(this.name, zone, 'HTTP 403, invalid API token');
        }
        const zoneRecords = zone === undefined ? [] : this.zones.get(normalizeName(zone));
        if (!zoneRecords) throw zoneNotFound(this.name, zone!);
        for (const record of records) assertValidRecord(zone!, record);
        this.maybeFail(operation, records);
        // Read-modify-write happens in one synchronous step after the simulated latency, which is what makes
        // this provider safe for concurrent use.
        return apply(zoneRecords);
      },
      {
        attempts: 3,
        baseDelayMs: 10,
        ...this.options.retry,
        ...(options?.signal ? { signal: options.signal } : {}),
      },
    );
  }

  private maybeFail(operation: InMemoryOperation, records: readonly DnsRecord[]): void {
    for (const failure of this.failures) {
      const { rule } = failure;
      if (failure.remaining <= 0) continue;
      if (rule.operation !== undefined && rule.operation !== operation) continue;
      if (rule.match && !records.some(rule.match)) continue;
      failure.remaining -= 1;
      throw rule.kind === 'transient'
        ? providerFailed(this.name, operation, 'HTTP 503 Service Unavailable (simulated)')
        : providerFailed(this.name, operation, 'HTTP 400 request rejected (simulated)', { retryable: false });
    }
  }

  private add(records: DnsRecord[], record: DnsRecord): DnsRecord {
    const existing = records.find((candidate) => sameRecord(candidate, record));
    if (existing) return existing;
    const stored = { ...record, ttl: Math.max(record.ttl, this.options.minTtl ?? 0) };
    records.push(stored);
    return stored;
  }

  private remove(records: DnsRecord[], record: DnsRecord): boolean {
    const index = records.findIndex((candidate) => sameRecord(candidate, record));
    if (index < 0) return false;
    records.splice(index, 1);
    return true;
  }
}
