import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { normalizeName } from '../names/dns-name.js';
import type { LookupContext, SoaFields } from '../wire/dns-message.js';
import { type ServerAddress, toServerAddress } from '../wire/server-address.js';
import { FIXED_SERVERS_HINT } from './fixed-servers-hint.js';
import type { ResolverPool } from './resolver-pool.js';

/** One address of one authoritative nameserver of a zone. */
export interface AuthoritativeServer {
  /** The NS name (`ns1.example.test`), or `fixed` when the servers were configured directly. */
  readonly nameserver: string;
  readonly address: ServerAddress;
}

export interface ZoneServers {
  readonly zone: string;
  readonly servers: readonly AuthoritativeServer[];
  /** NS names that have no A or AAAA record: no client can reach them, so they are reported, not checked. */
  readonly unreachableNameservers: readonly string[];
}

export interface AuthoritativeServerOptions {
  /**
   * Addresses to use for given NS names instead of looking them up, e.g.
   * `{ 'ns1.zone.test': ['127.0.0.53:5353'] }` for test servers on non-standard ports.
   */
  readonly nameserverAddresses?: Readonly<Record<string, readonly (string | ServerAddress)[]>>;
  /**
   * Skip NS discovery and query exactly these servers for every zone (pebble-challtestsrv has no NS records).
   */
  readonly fixedServers?: readonly (string | ServerAddress)[];
  /** Longest time a discovered NS set is reused. Also capped by the records' TTLs. Default 60 s. */
  readonly cacheTtlMs?: number;
}

/**
 * Finds **every address (A and AAAA) of every NS** of a zone: a propagation check that skips one address can
 * pass while the CA's resolver asks exactly that one (ACME-NOTES "DNS-01").
 */
export class AuthoritativeServerFinder {
  private readonly cache = new Map<string, { expires: number; value: ZoneServers }>();
  private readonly inflight = new Map<string, Promise<ZoneServers>>();
  private readonly overrides: Map<string, ServerAddress[]>;
  private readonly fixed: ServerAddress[] | undefined;

  constructor(
    private readonly resolvers: ResolverPool,
    private readonly options: AuthoritativeServerOptions = {},
  ) {
    this.overrides = new Map(
      Object.entries(options.nameserverAddresses ?? {}).map(([name, addresses]) => [
        normalizeName(name),
        addresses.map(toServerAddress),
      ]),
    );
    this.fixed = options.fixedServers?.map(toServerAddress);
  }

  /** @throws CertkeeperError DNS_LOOKUP_FAILED when the zone has no NS records or no NS has an address. */
  async find(zone: string, context: LookupContext = {}): Promise<ZoneServers> {
    if (this.fixed) {
      return {
        zone,
        servers: this.fixed.map((address) => ({ nameserver: 'fixed', address })),
        unreachableNameservers: [],
      };
    }
    const cached = this.cache.get(zone);
    if (cached && cached.expires > Date.now()) return cached.value;
    // Several names of one order share a zone: concurrent callers wait for one lookup instead of repeating it.
    const pending = this.inflight.get(zone);
    if (pending) return pending;
    const lookup = this.lookup(zone, context).finally(() => this.inflight.delete(zone));
    this.inflight.set(zone, lookup);
    return lookup;
  }

  private async lookup(zone: string, context: LookupContext): Promise<ZoneServers> {
    const nsResponse = await this.resolvers.ask(zone, 'NS', context);
    const nsRecords = nsResponse.answers.filter((record) => record.type === 'NS' && record.name === zone);
    if (nsRecords.length === 0) {
      throw new CertkeeperError(
        ErrorCodes.DNS_LOOKUP_FAILED,
        `Zone "${zone}" has no NS records (${nsResponse.rcode}).`,
        {
          hint: `Check that the zone is delegated, or name its authoritative servers in ${FIXED_SERVERS_HINT}.`,
        },
      );
    }
    let minTtl = Math.min(...nsRecords.map((record) => record.ttl));
    const names = [...new Set(nsRecords.map((record) => record.data))].sort();
    const perName = await Promise.all(
      names.map(async (nameserver) => {
        const override = this.overrides.get(nameserver);
        if (override) return { nameserver, addresses: override };
        const answers = await Promise.all(
          (['A', 'AAAA'] as const).map((type) => this.resolvers.ask(nameserver, type, context)),
        );
        const records = answers.flatMap((response) =>
          response.answers.filter(
            (record) => (record.type === 'A' || record.type === 'AAAA') && record.name === nameserver,
          ),
        );
        for (const record of records) minTtl = Math.min(minTtl, record.ttl);
        return { nameserver, addresses: records.map((record) => toServerAddress(record.data)) };
      }),
    );
    const servers = perName.flatMap(({ nameserver, addresses }) =>
      addresses.map((address) => ({ nameserver, address })),
    );
    const unreachableNameservers = perName
      .filter((entry) => entry.addresses.length === 0)
      .map((entry) => entry.nameserver);
    if (servers.length === 0) {
      throw new CertkeeperError(
        ErrorCodes.DNS_LOOKUP_FAILED,
        `No nameserver of zone "${zone}" has an address (${names.join(', ')}).`,
        {
          hint: `Add A/AAAA records for the nameservers, or name the servers by address in ${FIXED_SERVERS_HINT}.`,
        },
      );
    }
    const value: ZoneServers = { zone, servers, unreachableNameservers };
    const ttlMs = Math.min(this.options.cacheTtlMs ?? 60_000, minTtl * 1000);
    if (ttlMs > 0) this.cache.set(zone, { expires: Date.now() + ttlMs, value });
    return value;
  }

  /** The zone's SOA as the resolvers see it, used to derive deadlines (refresh/retry) and negative TTLs. */
  async soa(zone: string, context: LookupContext = {}): Promise<SoaFields | undefined> {
    const response = await this.resolvers.ask(zone, 'SOA', context);
    return response.answers.find((record) => record.type === 'SOA' && record.name === zone)?.soa;
  }
}
