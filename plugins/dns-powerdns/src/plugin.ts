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
          secret: true,
          description: 'The api-key of pdns.conf, sent as X-API-Key. Secret.',
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
    create: (config) => powerdns(config),
  });

/** Creates the provider; see {@link PowerDnsOptions}. Touches no network until the first call. */
export function powerdns(options: PowerDnsOptions): PowerDnsProvider {
  // `satisfies` keeps the port contract checked at compile time (STYLE.md, "What to take" 9).
  return new PowerDnsProvider(options) satisfies DnsProvider;
}
