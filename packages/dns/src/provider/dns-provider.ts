import type { ChangeSet, DnsRecord, RecordFilter } from './dns-record.js';

/** Per-call options. Providers SHOULD stop waiting and reject when `signal` aborts. */
export interface ProviderCallOptions {
  readonly signal?: AbortSignal;
}

/**
 * Adds records (libdns `RecordAppender`).
 *
 * Contract for every implementation:
 * - `zone` is the zone apex, lower case, no trailing dot (`example.test`); `record.name` is relative to it.
 * - MUST add the value as a **separate record**, leaving every other record at the same name untouched
 *   (a provider whose API keeps one record set per name, like Route 53, reads the set and writes it back with
 *   the value added).
 * - MUST be idempotent: creating a record whose name, type and value already exist changes nothing and
 *   succeeds.
 * - MUST be safe for concurrent use, including concurrent creates at one name: none may be lost.
 * - SHOULD retry HTTP 429 and 5xx answers briefly (see `withProviderRetry`), then throw.
 * - Throws CertkeeperError: `DNS_ZONE_NOT_FOUND` when the provider does not host `zone`,
 *   `DNS_PROVIDER_UNAUTHORIZED` when credentials are rejected, `DNS_PROVIDER_FAILED` otherwise.
 *   Messages never contain credentials.
 * - Resolves with the record as stored (a provider MAY raise the TTL to its minimum and MUST report it).
 */
export interface RecordCreator {
  createRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<DnsRecord>;
}

/**
 * Removes records (libdns `RecordDeleter`).
 *
 * - MUST remove exactly the record with that name, type and value, and nothing else at that name; TTL is ignored.
 * - MUST be idempotent: deleting an absent record succeeds and resolves `false`; resolves `true` when it removed one.
 * - Same zone format, concurrency, retry and error rules as {@link RecordCreator}.
 */
export interface RecordDeleter {
  deleteRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<boolean>;
}

/**
 * Reads records (libdns `RecordGetter`).
 *
 * - MUST return every TXT value as its own record, names relative to the zone (`'@'` for the apex).
 * - MAY return only TXT records; MUST apply `filter` when given.
 * - Same zone format, retry and error rules as {@link RecordCreator}.
 */
export interface RecordLister {
  listRecords(zone: string, filter?: RecordFilter, options?: ProviderCallOptions): Promise<DnsRecord[]>;
}

/**
 * The DNS provider port: what one package per DNS host implements. Propagation checks are **not** the
 * provider's job; `@certkeeper/dns` runs them against the authoritative servers (lego's lesson).
 *
 * Optional capabilities are separate interfaces detected at run time: {@link ZoneLister}, {@link ChangeBatcher}.
 */
export interface DnsProvider extends RecordCreator, RecordDeleter, RecordLister {}

/**
 * Optional: lists the zones the credentials can edit. Used as a shortcut for zone discovery (no SOA walk).
 * MUST return zone apexes in the same form as `zone` arguments.
 */
export interface ZoneLister {
  listZones(options?: ProviderCallOptions): Promise<string[]>;
}

/**
 * Optional: applies several creates and deletes in one call (Route 53 change batches, for example), so one
 * order's records cost one API call.
 *
 * - Same per-record semantics as createRecord/deleteRecord (idempotent, exact, nothing else touched).
 * - SHOULD be atomic. When it throws, the caller cannot know which changes were applied, and will delete the
 *   records it tried to create.
 */
export interface ChangeBatcher {
  applyChanges(zone: string, changes: ChangeSet, options?: ProviderCallOptions): Promise<void>;
}

/**
 * Dependency-injection token for the configured {@link DnsProvider}. A plain `Symbol.for` is a valid tsyringe
 * `InjectionToken`, so composition roots can `register(DnsProviderToken, { useValue })` without this package
 * depending on a container.
 */
export const DnsProviderToken: unique symbol = Symbol.for('certkeeper.DnsProvider');

export function isZoneLister(provider: object): provider is ZoneLister {
  return typeof (provider as Partial<ZoneLister>).listZones === 'function';
}

export function isChangeBatcher(provider: object): provider is ChangeBatcher {
  return typeof (provider as Partial<ChangeBatcher>).applyChanges === 'function';
}
