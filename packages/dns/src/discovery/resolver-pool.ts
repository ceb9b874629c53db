import { getServers } from 'node:dns';
import { CertkeeperError, ErrorCodes } from '@certkeeper/core';
import type { DnsQuestion, DnsResponse, DnsTransport, LookupContext } from '../wire/dns-message.js';
import { formatServerAddress, type ServerAddress, toServerAddress } from '../wire/server-address.js';

/**
 * The servers discovery asks (SOA walk, NS and address lookups): recursive resolvers by default, or
 * authoritative servers when they hold every zone involved (as in tests). Asks them in order and moves on when one
 * fails, so one dead resolver does not stop discovery.
 */
export class ResolverPool {
  readonly servers: readonly ServerAddress[];

  /** @param servers defaults to the system's resolvers (`dns.getServers()`, from /etc/resolv.conf). */
  constructor(
    private readonly transport: DnsTransport,
    servers?: readonly (string | ServerAddress)[],
  ) {
    this.servers = (servers ?? getServers()).map(toServerAddress);
  }

  /**
   * The first answer that is NOERROR or NXDOMAIN (the only rcodes that say something about the name).
   *
   * @throws CertkeeperError DNS_LOOKUP_FAILED listing what each server answered.
   */
  async ask(name: string, type: DnsQuestion['type'], context: LookupContext = {}): Promise<DnsResponse> {
    if (this.servers.length === 0) {
      // Checked here, not in the constructor: setups with fixed servers and a zone list never ask a resolver.
      throw new CertkeeperError(
        ErrorCodes.INVALID_OPTION,
        `No DNS resolver is configured to look up ${type} ${name}.`,
        {
          hint: 'Pass `resolvers: ["192.0.2.53"]` or configure /etc/resolv.conf.',
        },
      );
    }
    const outcomes: string[] = [];
    for (const server of this.servers) {
      try {
        const response = await this.transport.query(server, { name, type, recursionDesired: true }, context);
        if (response.rcode === 'NOERROR' || response.rcode === 'NXDOMAIN') return response;
        outcomes.push(`${formatServerAddress(server)} answered ${response.rcode}`);
      } catch (error) {
        outcomes.push(
          `${formatServerAddress(server)}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    }
    throw new CertkeeperError(
      ErrorCodes.DNS_LOOKUP_FAILED,
      `DNS lookup ${type} ${name} failed on every resolver (${outcomes.join('; ')}).`,
      { hint: 'Check the `resolvers` option and that they can resolve this name.', retryable: true },
    );
  }
}
