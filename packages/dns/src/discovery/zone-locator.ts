import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import { isInZone, normalizeName, parentName } from '../names/dns-name.js';
import { type DnsProvider, isZoneLister } from '../provider/dns-provider.js';
import type { DnsResponse, DnsTransport, LookupContext } from '../wire/dns-message.js';
import { formatServerAddress } from '../wire/server-address.js';
import type { AuthoritativeServerFinder } from './authoritative-servers.js';
import { FIXED_SERVERS_HINT } from './fixed-servers-hint.js';
import type { ResolverPool } from './resolver-pool.js';

/** Where a challenge record must be published. */
export interface ChallengeLocation {
  /** The name asked about, e.g. `_acme-challenge.www.example.test`. */
  readonly name: string;
  /** Where the TXT record goes: `name` itself, or the end of its CNAME chain (acme-dns style delegation). */
  readonly fqdn: string;
  /** The zone holding `fqdn`. */
  readonly zone: string;
  /** CNAME targets followed from `name` to `fqdn`, in order; empty without delegation. */
  readonly cnameChain: readonly string[];
}

export interface ZoneLocatorOptions {
  /** Used for its `listZones` when it has one (no SOA walk needed). */
  readonly provider?: DnsProvider;
  /** Zones known up front; the longest one containing a name wins, like the provider's zone list. */
  readonly zones?: readonly string[];
  /** Follow a CNAME at the challenge name and publish at its target. Default true. */
  readonly followCnames?: boolean;
  /** Longest CNAME chain followed before giving up. Default 8. */
  readonly maxCnameHops?: number;
}

/**
 * Finds the zone that holds `_acme-challenge.<name>` (or dns-account-01's `_<label>._acme-challenge.<name>`) and
 * the name to publish at.
 *
 * The SOA walk starts above the underscore labels of a challenge name and asks the resolvers only about names that
 * already exist: asking a recursive resolver about the challenge name before the record exists would cache an
 * NXDOMAIN there for the SOA minimum TTL. The challenge name itself (CNAME? delegated sub-zone?) is asked of the
 * zone's authoritative servers, non-recursively.
 */
export class ZoneLocator {
  private providerZones: Promise<string[]> | undefined;

  constructor(
    private readonly resolvers: ResolverPool,
    private readonly servers: AuthoritativeServerFinder,
    private readonly transport: DnsTransport,
    private readonly options: ZoneLocatorOptions = {},
  ) {}

  /**
   * @throws CertkeeperError DNS_ZONE_NOT_FOUND when no zone holds the name; DNS_LOOKUP_FAILED on a CNAME loop,
   *   an over-long chain, or when no authoritative server answers.
   */
  async locate(name: string, context: LookupContext = {}): Promise<ChallengeLocation> {
    const start = normalizeName(name);
    const maxHops = this.options.maxCnameHops ?? 8;
    const chain: string[] = [];
    let current = start;
    let knownZone: string | undefined;
    for (;;) {
      const zone = knownZone ?? (await this.zoneOf(current, context));
      knownZone = undefined;
      if (this.options.followCnames === false) return { name: start, fqdn: current, zone, cnameChain: chain };
      const answer = await this.askAuthoritative(zone, current, context);
      const cname = answer.answers.find((record) => record.type === 'CNAME' && record.name === current);
      if (cname) {
        if (cname.data === start || chain.includes(cname.data) || chain.length >= maxHops) {
          throw new CertkeeperError(
            ErrorCodes.DNS_LOOKUP_FAILED,
            `CNAME chain at "${start}" loops or is longer than ${maxHops} (${[start, ...chain, cname.data].join(' -> ')}).`,
            {
              hint: `Fix the CNAME records so "${start}" points, in a few steps, at a name that can hold TXT records.`,
            },
          );
        }
        chain.push(cname.data);
        current = cname.data;
        continue;
      }
      const delegated = zoneCutAt(answer, zone, current);
      if (delegated) {
        // `_acme-challenge.x` may be its own zone (delegated to a dynamic-DNS server): publish there.
        knownZone = delegated;
        continue;
      }
      return { name: start, fqdn: current, zone, cnameChain: chain };
    }
  }

  /** The zone of a name: the longest listed zone containing it, else an SOA walk through the resolvers. */
  async zoneOf(name: string, context: LookupContext = {}): Promise<string> {
    const listed = await this.listedZones();
    const match = listed.filter((zone) => isInZone(name, zone)).sort((a, b) => b.length - a.length)[0];
    if (match) return match;
    return this.walkSoa(name, context);
  }

  private async walkSoa(name: string, context: LookupContext): Promise<string> {
    // Start one label up: the challenge name may not exist yet (a cached NXDOMAIN would delay validation), and
    // a CNAME target may itself be an alias (BIND answers SERVFAIL for an SOA question at a looping alias).
    // Skip further underscore labels too: for dns-account-01's `_<label>._acme-challenge.www`, a resolver's
    // NXDOMAIN for `_acme-challenge.www` would also deny everything below it (RFC 8020) for the SOA minimum TTL.
    // A zone cut at or below the start is found afterwards by asking the zone's own servers (zoneCutAt).
    let first = parentName(name) ?? name;
    while (first.startsWith('_') && parentName(first)) first = parentName(first)!;
    let candidate: string | undefined = first;
    while (candidate) {
      const response = await this.resolvers.ask(candidate, 'SOA', context);
      if (response.answers.some((record) => record.type === 'SOA' && record.name === candidate))
        return candidate;
      const isAlias = response.answers.some((record) => record.type === 'CNAME' && record.name === candidate);
      // The SOA in the authority section names the zone the answer came from; jump straight to it. Not for a
      // CNAME owner: there the SOA belongs to the CNAME target's zone, not to ours.
      const hinted = isAlias
        ? undefined
        : response.authorities.find(
            (record) =>
              record.type === 'SOA' && record.name !== candidate && isInZone(candidate!, record.name),
          )?.name;
      candidate = hinted ?? parentName(candidate);
    }
    throw new CertkeeperError(
      ErrorCodes.DNS_ZONE_NOT_FOUND,
      `No zone found holding "${name}": no SOA record at it or any parent.`,
      {
        hint: `Check that the domain is registered and delegated; the resolvers asked were ${this.resolvers.servers
          .map(formatServerAddress)
          .join(', ')} (option \`resolvers\`).`,
      },
    );
  }

  private async askAuthoritative(zone: string, name: string, context: LookupContext): Promise<DnsResponse> {
    const { servers } = await this.servers.find(zone, context);
    const failures: string[] = [];
    for (const server of servers) {
      try {
        // Ask for the CNAME itself: a TXT question makes the server chase the chain, and BIND answers SERVFAIL
        // for a looping chain instead of showing it.
        const response = await this.transport.query(
          server.address,
          { name, type: 'CNAME', recursionDesired: false },
          context,
        );
        if (response.rcode === 'NOERROR' || response.rcode === 'NXDOMAIN') return response;
        failures.push(
          `${server.nameserver} ${formatServerAddress(server.address)} answered ${response.rcode}`,
        );
      } catch (error) {
        failures.push(`${server.nameserver}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    throw new CertkeeperError(
      ErrorCodes.DNS_LOOKUP_FAILED,
      `No authoritative server of zone "${zone}" answered about "${name}" (${failures.join('; ')}).`,
      {
        hint: `Check that the nameservers are reachable from here, or name reachable ones in ${FIXED_SERVERS_HINT}.`,
        retryable: true,
      },
    );
  }

  private listedZones(): Promise<string[]> {
    const provider = this.options.provider;
    const fixed = (this.options.zones ?? []).map(normalizeName);
    if (!provider || !isZoneLister(provider)) return Promise.resolve(fixed);
    // Listed once per locator: zone lists change rarely and listing costs an API call.
    this.providerZones ??= provider.listZones().then(
      (zones) => [...fixed, ...zones.map(normalizeName)],
      (error: unknown) => {
        this.providerZones = undefined; // a failed listing is retried by the next call, not cached
        throw error;
      },
    );
    return this.providerZones;
  }
}

/**
 * A zone below `zone` that holds `name`, seen in the authoritative server's answer: a referral (NS records for
 * the child, not authoritative) or, when the same server also serves the child, the child's SOA in the
 * authority section.
 */
function zoneCutAt(response: DnsResponse, zone: string, name: string): string | undefined {
  const deeper = (record: { name: string }) =>
    record.name !== zone && isInZone(record.name, zone) && isInZone(name, record.name);
  const referral = response.authoritative
    ? undefined
    : response.authorities.find((record) => record.type === 'NS' && deeper(record));
  const childSoa = response.authorities.find((record) => record.type === 'SOA' && deeper(record));
  return (referral ?? childSoa)?.name;
}
