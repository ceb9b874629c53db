import { absoluteName, normalizeName, relativeName } from '../names/dns-name.js';
import { txtValuesAt } from '../propagation/txt-values.js';
import type { DnsProvider, ProviderCallOptions, ZoneLister } from '../provider/dns-provider.js';
import { assertValidRecord, type DnsRecord, type RecordFilter } from '../provider/dns-record.js';
import { providerFailed, zoneNotFound } from '../provider/provider-errors.js';
import { type RetryOptions, withProviderRetry } from '../provider/provider-retry.js';
import type { DnsTransport } from '../wire/dns-message.js';
import { type ServerAddress, toServerAddress } from '../wire/server-address.js';
import { WireDnsTransport } from '../wire/wire-transport.js';
import { KeyedMutex } from './keyed-mutex.js';

export interface ChalltestsrvProviderOptions {
  /** The management API, e.g. `http://127.0.0.1:8055` (`-management`). */
  readonly managementUrl: string;
  /** The DNS listener (`-dns01`), read back to learn the values currently served at a name. */
  readonly dnsServer: string | ServerAddress;
  /** Zones this server stands in for; challtestsrv answers any name, so the provider decides what it hosts. */
  readonly zones: readonly string[];
  readonly transport?: DnsTransport;
  readonly retry?: RetryOptions;
}

/**
 * A provider for pebble-challtestsrv's management API, for tests and demos.
 *
 * What the binary does (pebble 2.4.0 and 2.10.0, checked against the running server): `/set-txt` **adds** a value at a host,
 * `/clear-txt` removes **every** value at the host, and every TXT answer has TTL 0. So this provider reads the
 * served values back over DNS before each change, and deletes one value by clearing the host and re-adding the
 * others, all under a per-name lock. Limits: changes made by other clients between the read and the write of
 * another process are not seen; the TTL is always reported as 0; unfiltered `listRecords` covers names this
 * instance touched (challtestsrv cannot enumerate).
 */
export class ChalltestsrvDnsProvider implements DnsProvider, ZoneLister {
  readonly name = 'challtestsrv';
  private readonly zones: Set<string>;
  private readonly dnsServer: ServerAddress;
  private readonly transport: DnsTransport;
  private readonly locks = new KeyedMutex();
  private readonly touched = new Map<string, Set<string>>();

  constructor(private readonly options: ChalltestsrvProviderOptions) {
    this.zones = new Set(options.zones.map(normalizeName));
    this.dnsServer = toServerAddress(options.dnsServer);
    this.transport = options.transport ?? new WireDnsTransport({ timeoutMs: 1000 });
  }

  async listZones(): Promise<string[]> {
    return [...this.zones];
  }

  async createRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<DnsRecord> {
    const fqdn = this.fqdn(zone, record);
    await this.locks.run(fqdn, async () => {
      const values = await this.served(fqdn, options);
      if (!values.includes(record.value))
        await this.post('set-txt', { host: `${fqdn}.`, value: record.value }, options);
    });
    return { ...record, ttl: 0 };
  }

  async deleteRecord(zone: string, record: DnsRecord, options?: ProviderCallOptions): Promise<boolean> {
    const fqdn = this.fqdn(zone, record);
    return this.locks.run(fqdn, async () => {
      const values = await this.served(fqdn, options);
      if (!values.includes(record.value)) return false;
      await this.post('clear-txt', { host: `${fqdn}.` }, options);
      // clear-txt drops every value at the host: put the others back, so deleting one keeps the rest.
      for (const value of values.filter((candidate) => candidate !== record.value)) {
        await this.post('set-txt', { host: `${fqdn}.`, value }, options);
      }
      return true;
    });
  }

  async listRecords(
    zone: string,
    filter: RecordFilter = {},
    options?: ProviderCallOptions,
  ): Promise<DnsRecord[]> {
    const apex = this.zone(zone);
    const names =
      filter.name !== undefined ? [absoluteName(filter.name, apex)] : [...(this.touched.get(apex) ?? [])];
    const perName = await Promise.all(
      names.map(async (fqdn) =>
        (await this.served(fqdn, options)).map((value) => ({
          name: relativeName(fqdn, apex),
          type: 'TXT' as const,
          value,
          ttl: 0,
        })),
      ),
    );
    return perName.flat();
  }

  private zone(zone: string): string {
    const apex = normalizeName(zone);
    if (!this.zones.has(apex)) throw zoneNotFound(this.name, apex);
    return apex;
  }

  private fqdn(zone: string, record: DnsRecord): string {
    const apex = this.zone(zone);
    assertValidRecord(apex, record);
    const fqdn = absoluteName(record.name, apex);
    const names = this.touched.get(apex) ?? new Set<string>();
    names.add(fqdn);
    this.touched.set(apex, names);
    return fqdn;
  }

  private async served(fqdn: string, options: ProviderCallOptions | undefined): Promise<string[]> {
    return withProviderRetry(async () => {
      try {
        const response = await this.transport.query(
          this.dnsServer,
          { name: fqdn, type: 'TXT', recursionDesired: false },
          options?.signal ? { signal: options.signal } : {},
        );
        return response.answers.some((record) => record.type === 'CNAME' && record.name === fqdn)
          ? []
          : txtValuesAt(response.answers, fqdn).values;
      } catch (error) {
        throw providerFailed(this.name, `read TXT values at ${fqdn}`, describe(error), { cause: error });
      }
    }, this.retryOptions(options));
  }

  private async post(
    path: string,
    body: Record<string, string>,
    options: ProviderCallOptions | undefined,
  ): Promise<void> {
    const url = new URL(`/${path}`, this.options.managementUrl);
    await withProviderRetry(async () => {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          body: JSON.stringify(body),
          ...(options?.signal ? { signal: options.signal } : {}),
        });
      } catch (error) {
        throw providerFailed(
          this.name,
          `POST ${url.pathname}`,
          `${describe(error)} (is challtestsrv running at ${url.origin}?)`,
          {
            cause: error,
          },
        );
      }
      await response.arrayBuffer();
      if (!response.ok) {
        throw providerFailed(this.name, `POST ${url.pathname}`, `HTTP ${response.status}`, {
          retryable: response.status === 429 || response.status >= 500,
        });
      }
    }, this.retryOptions(options));
  }

  private retryOptions(options: ProviderCallOptions | undefined): RetryOptions {
    return {
      attempts: 3,
      baseDelayMs: 100,
      ...this.options.retry,
      ...(options?.signal ? { signal: options.signal } : {}),
    };
  }
}

function describe(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return error instanceof Error ? `${error.message.split('\n')[0]}${cause}` : String(error);
}
