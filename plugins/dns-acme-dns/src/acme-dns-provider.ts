import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import {
  absoluteName,
  assertValidRecord,
  type DnsProvider,
  type DnsRecord,
  isInZone,
  KeyedMutex,
  normalizeName,
  type ProviderCallOptions,
  type ProviderHttpClient,
  parentName,
  providerFailed,
  type RecordFilter,
  relativeName,
  type ZoneLister,
  zoneNotFound,
} from '@certkeeper/dns';
import type { AcmeDnsAccount } from './accounts.js';
import { createApi, credentialsOf, PROVIDER_NAME } from './acme-dns-api.js';
import { AcmeDnsValues } from './acme-dns-values.js';
import { type AcmeDnsOptions, type ResolvedOptions, resolveOptions } from './options.js';

/** acme-dns accepts only dns-01 values: 43 characters of base64url (validation.go's validTXT). */
const ACME_VALUE = /^[A-Za-z0-9_-]{43}$/;
/** acme-dns keeps the two most recent values of a subdomain and serves them with TTL 1. */
const SLOTS = 2;
const ACME_DNS_TTL = 1;

/**
 * The `@certkeeper/dns` provider for acme-dns (joohoi/acme-dns), the usual target of `_acme-challenge` CNAME
 * delegation: `_acme-challenge.example.com CNAME <uuid>.auth.acme-dns.io`, one account per domain.
 *
 * acme-dns semantics, and what the provider does about them:
 * - `POST /update` replaces the **older of the two values** a subdomain holds; there is no delete and no read API.
 *   An apex + wildcard order needs exactly two values at one name, so they fit; a third concurrent value would
 *   push one out, so the provider refuses a third value while two created in this process are still in use.
 * - Values are read back over DNS from the acme-dns server, so a value already served is not sent again (a second
 *   update would push out the other value).
 * - `deleteRecord` cannot remove anything: it forgets the value (freeing its slot) and resolves `false`; the value
 *   stays until two newer ones replace it, which is harmless (it only validates that one authorization).
 * - Names: the provider writes at an account's `fulldomain` (the solver follows the CNAME there, zone = the
 *   acme-dns domain), or at `_acme-challenge.<domain>` of a registered domain when the solver publishes at the
 *   delegating name.
 */
export class AcmeDnsProvider implements DnsProvider, ZoneLister {
  readonly name = PROVIDER_NAME;
  private readonly options: ResolvedOptions;
  private readonly api: ProviderHttpClient;
  private readonly values: AcmeDnsValues;
  private readonly locks = new KeyedMutex();
  /** Values created in this process and not yet deleted, per subdomain: the slots in use. */
  private readonly live = new Map<string, Set<string>>();

  constructor(options: AcmeDnsOptions) {
    this.options = resolveOptions(options);
    this.api = createApi(this.options.apiUrl, this.options);
    this.values = new AcmeDnsValues(this.options.apiUrl, this.options.dnsServer);
  }

  /** The acme-dns domains the accounts live in (`auth.acme-dns.io`): discovery finds CNAME targets in them. */
  async listZones(): Promise<string[]> {
    return [
      ...new Set([...this.options.accounts.values()].map((account) => parentName(account.fulldomain)!)),
    ];
  }

  async createRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<DnsRecord> {
    const { account, fqdn } = this.accountFor(zone, record);
    if (!ACME_VALUE.test(record.value))
      throw providerFailed(
        PROVIDER_NAME,
        `update ${fqdn}`,
        'acme-dns accepts only dns-01 values (43 base64url characters)',
        {
          retryable: false,
        },
      );
    return this.locks.run(account.subdomain, async () => {
      const served = (await this.values.read(account.fulldomain, options)).map((found) => found.value);
      const live = this.live.get(account.subdomain) ?? new Set<string>();
      if (!served.includes(record.value)) {
        if (!live.has(record.value) && live.size >= SLOTS)
          throw providerFailed(
            PROVIDER_NAME,
            `add a TXT value at ${account.fulldomain}`,
            'acme-dns keeps only the two most recent values and both are in use by orders of this process; a third would push one out',
            { retryable: true },
          );
        await this.api.request({
          method: 'POST',
          path: 'update',
          body: { subdomain: account.subdomain, txt: record.value },
          operation: `update the TXT value at ${account.fulldomain}`,
          zone: parentName(account.fulldomain)!,
          headers: credentialsOf(account),
          // Repeating an update that was applied would push out the subdomain's other value.
          idempotent: false,
          signal: options?.signal,
        });
      }
      live.add(record.value);
      this.live.set(account.subdomain, live);
      return { ...record, name: relativeName(fqdn, normalizeName(zone)), ttl: ACME_DNS_TTL };
    });
  }

  async deleteRecord(zone: string, record: DnsRecord): Promise<boolean> {
    const { account } = this.accountFor(zone, record);
    this.live.get(account.subdomain)?.delete(record.value);
    return false;
  }

  async listRecords(
    zone: string,
    filter: RecordFilter = {},
    options?: ProviderCallOptions,
  ): Promise<DnsRecord[]> {
    const apex = normalizeName(zone);
    if (filter.type !== undefined && filter.type !== 'TXT') return [];
    const accounts =
      filter.name === undefined
        ? [...this.options.accounts.values()].filter((account) => isInZone(account.fulldomain, apex))
        : [this.accountFor(apex, { name: filter.name, type: 'TXT', value: 'x', ttl: 0 }).account];
    if (accounts.length === 0 && !(await this.listZones()).includes(apex))
      throw zoneNotFound(PROVIDER_NAME, apex);
    const records: DnsRecord[] = [];
    for (const account of accounts) {
      const name = filter.name ?? relativeName(account.fulldomain, apex);
      for (const found of await this.values.read(account.fulldomain, options))
        records.push({ name, type: 'TXT', value: found.value, ttl: found.ttl });
    }
    return records;
  }

  /**
   * The account that writes `record`: the one whose `fulldomain` it is, or the one registered for the domain whose
   * `_acme-challenge` name it is.
   *
   * @throws CertkeeperError DNS_ZONE_NOT_FOUND when no account covers the name (register it first).
   */
  private accountFor(zone: string, record: DnsRecord): { account: AcmeDnsAccount; fqdn: string } {
    const apex = normalizeName(zone);
    assertValidRecord(apex, { ...record, value: record.value || 'x' });
    const fqdn = absoluteName(record.name, apex);
    const accounts = [...this.options.accounts.entries()];
    const found =
      accounts.find(([, account]) => account.fulldomain === fqdn)?.[1] ??
      (fqdn.startsWith('_acme-challenge.')
        ? this.options.accounts.get(fqdn.slice('_acme-challenge.'.length))
        : undefined);
    if (!found)
      throw new CertkeeperError(
        ErrorCodes.DNS_ZONE_NOT_FOUND,
        `No acme-dns account covers ${fqdn} (zone "${apex}").`,
        {
          hint: 'Run `certkeeper acme-dns register <domain>`, create the CNAME it prints, and point accounts at its file.',
        },
      );
    return { account: found, fqdn };
  }
}
