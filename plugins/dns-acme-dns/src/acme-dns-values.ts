import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import {
  type DnsTransport,
  type ProviderCallOptions,
  providerFailed,
  type ServerAddress,
  WireDnsTransport,
} from '@certkeeper/dns';
import { PROVIDER_NAME } from './acme-dns-api.js';

/**
 * Reads the TXT values an acme-dns server serves at a subdomain, by asking its DNS server directly (acme-dns has no
 * API to read them). acme-dns answers at most the two most recent values, with TTL 1.
 */
export class AcmeDnsValues {
  private server: Promise<ServerAddress> | undefined;

  constructor(
    private readonly apiUrl: string,
    private readonly configured: ServerAddress | undefined,
    private readonly transport: DnsTransport = new WireDnsTransport({ timeoutMs: 5000 }),
  ) {}

  async read(fulldomain: string, options?: ProviderCallOptions): Promise<{ value: string; ttl: number }[]> {
    const server = await this.address();
    let response: Awaited<ReturnType<DnsTransport['query']>>;
    try {
      response = await this.transport.query(
        server,
        { name: fulldomain, type: 'TXT', recursionDesired: false },
        options?.signal ? { signal: options.signal } : {},
      );
    } catch (error) {
      throw providerFailed(
        PROVIDER_NAME,
        `read the TXT values at ${fulldomain}`,
        `no DNS answer from ${server.host}:${server.port}`,
        {
          cause: error,
        },
      );
    }
    if (response.rcode !== 'NOERROR' && response.rcode !== 'NXDOMAIN')
      throw providerFailed(
        PROVIDER_NAME,
        `read the TXT values at ${fulldomain}`,
        `DNS answered ${response.rcode}`,
      );
    return response.answers
      .filter(
        (record) => record.type === 'TXT' && record.name.toLowerCase().replace(/\.$/, '') === fulldomain,
      )
      .map((record) => ({ value: record.data, ttl: record.ttl }));
  }

  /** The configured server, else the API host's address on port 53 (looked up once). */
  private address(): Promise<ServerAddress> {
    if (this.configured) return Promise.resolve(this.configured);
    this.server ??= (async () => {
      const host = new URL(this.apiUrl).hostname.replace(/^\[|\]$/g, '');
      if (isIP(host)) return { host, port: 53 };
      try {
        return { host: (await lookup(host)).address, port: 53 };
      } catch (error) {
        this.server = undefined;
        throw providerFailed(
          PROVIDER_NAME,
          `find the DNS server of ${host}`,
          'its address could not be resolved; set dnsServer',
          {
            cause: error,
          },
        );
      }
    })();
    return this.server;
  }
}
