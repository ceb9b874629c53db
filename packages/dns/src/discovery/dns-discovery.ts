import type { DnsTransport } from '../wire/dns-message.js';
import type { ServerAddress } from '../wire/server-address.js';
import { WireDnsTransport, type WireTransportOptions } from '../wire/wire-transport.js';
import { AuthoritativeServerFinder, type AuthoritativeServerOptions } from './authoritative-servers.js';
import { ResolverPool } from './resolver-pool.js';
import { ZoneLocator, type ZoneLocatorOptions } from './zone-locator.js';

export interface DnsDiscoveryOptions extends AuthoritativeServerOptions, ZoneLocatorOptions {
  /** Servers asked for SOA, NS, A and AAAA during discovery. Default: the system resolvers. */
  readonly resolvers?: readonly (string | ServerAddress)[];
  /** Replace the wire transport (default: UDP with TCP fallback). */
  readonly transport?: DnsTransport;
  readonly transportOptions?: WireTransportOptions;
}

/** The discovery services wired together once, shared by the solver and the propagation checker. */
export interface DnsDiscovery {
  readonly transport: DnsTransport;
  readonly resolvers: ResolverPool;
  readonly servers: AuthoritativeServerFinder;
  readonly locator: ZoneLocator;
}

export function createDnsDiscovery(options: DnsDiscoveryOptions = {}): DnsDiscovery {
  const transport = options.transport ?? new WireDnsTransport(options.transportOptions);
  const resolvers = new ResolverPool(transport, options.resolvers);
  const servers = new AuthoritativeServerFinder(resolvers, options);
  const locator = new ZoneLocator(resolvers, servers, transport, options);
  return { transport, resolvers, servers, locator };
}
