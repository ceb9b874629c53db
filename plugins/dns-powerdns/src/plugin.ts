import { type DnsProvider, type DnsProviderPlugin, defineDnsProviderPlugin } from '@certkeeper/dns';
import type { PowerDnsOptions } from './options.js';
import { PowerDnsProvider } from './powerdns-provider.js';
import { VERSION } from './version.js';

/** The configuration a config file gives; the same fields as {@link PowerDnsOptions} without `retry`. */
export type PowerDnsPluginConfig = Omit<PowerDnsOptions, 'retry'>;

/** Loads the provider by package name: `configSchema` documents the options, `create` validates them. */
export const powerdnsPlugin: DnsProviderPlugin<PowerDnsPluginConfig> =
  defineDnsProviderPlugin<PowerDnsPluginConfig>({
    name: 'powerdns',
    version: VERSION,
    configSchema: {
      type: 'object',
      properties: {
        apiUrl: {
          type: 'string',
          description:
            'PowerDNS API base URL (webserver-address:webserver-port), e.g. "http://127.0.0.1:8081".',
        },
        apiKey: {
          type: 'string',
          description: 'The api-key of pdns.conf, sent as X-API-Key. Secret.',
          secret: true,
        },
        serverId: { type: 'string', description: 'Server id in API paths (default "localhost").' },
        timeoutMs: {
          type: 'number',
          description: 'Time limit per HTTP request in milliseconds (default 10000).',
        },
        conflictRetries: {
          type: 'number',
          description: 'Re-applications when another writer replaced the RRset (default 3).',
        },
      },
      required: ['apiUrl', 'apiKey'],
    },
    about: {
      service: 'PowerDNS Authoritative Server (HTTP API)',
      auth: "The server's one api-key (X-API-Key) can change every zone: bind the API to a management address with webserver-allow-from, or use rfc2136 with a TXT-only TSIG key.",
      notes:
        'RRset read-modify-write with a read-back, safe within one process; two processes writing one name at once can lose a value (the 4.x API has no conditional write).',
      homepage: 'https://doc.powerdns.com/authoritative/http-api/',
    },
    create: (config) => powerdns(config),
  });

/** Creates the provider; see {@link PowerDnsOptions}. Touches no network until the first call. */
export function powerdns(options: PowerDnsOptions): PowerDnsProvider {
  // `satisfies` keeps the port contract checked at compile time (STYLE.md, "What to take" 9).
  return new PowerDnsProvider(options) satisfies DnsProvider;
}
