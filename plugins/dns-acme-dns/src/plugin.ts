import {
  type ConfigSchema,
  type DnsProvider,
  type DnsProviderPlugin,
  defineDnsProviderPlugin,
  parsePluginConfig,
  type ZoneLister,
} from '@certkeeper/dns';
import { AcmeDnsProvider } from './acme-dns-provider.js';
import type { AcmeDnsOptions } from './options.js';
import { VERSION } from './version.js';

/** The configuration-file form: `accounts` is the credentials file's text (a `{ file }` secret). */
export interface AcmeDnsPluginConfig extends Omit<AcmeDnsOptions, 'accounts'> {
  readonly accounts: string;
}

export const acmeDnsConfigSchema = {
  type: 'object',
  properties: {
    apiUrl: { type: 'string', description: 'The acme-dns server API, e.g. https://auth.acme-dns.io.' },
    accounts: {
      type: 'string',
      description:
        'The credentials file `certkeeper acme-dns register` writes (domain -> account JSON); use { file: path }.',
      secret: true,
    },
    dnsServer: {
      type: 'string',
      description:
        "acme-dns's DNS server (IP[:port]) to read values back from; default the API host, port 53.",
    },
    timeoutMs: {
      type: 'integer',
      description: 'Time limit per request and DNS query, in ms; default 30000.',
    },
    maxRetryWaitMs: {
      type: 'integer',
      description: 'Longest Retry-After waited inline, in ms; longer ones fail with the time; default 5000.',
    },
  },
  required: ['apiUrl', 'accounts'],
} as const satisfies ConfigSchema;

/** Loaded by the CLI from the package name. */
export const acmeDnsPlugin: DnsProviderPlugin<AcmeDnsPluginConfig> =
  defineDnsProviderPlugin<AcmeDnsPluginConfig>({
    name: 'acme-dns',
    version: VERSION,
    configSchema: acmeDnsConfigSchema,
    about: {
      service: 'acme-dns (CNAME delegation of _acme-challenge)',
      auth: 'One account per domain (X-Api-User / X-Api-Key) from `certkeeper acme-dns register <domain>`, kept in a 0600 file; each account can only change its own subdomain, optionally only from allowfrom networks.',
      notes:
        'acme-dns keeps the two most recent values per subdomain and cannot delete: apex + wildcard fit, a third concurrent value is refused; values stay until replaced; TTL 1.',
      homepage: 'https://github.com/joohoi/acme-dns#api',
    },
    create: (config) =>
      acmeDns(
        parsePluginConfig<AcmeDnsPluginConfig>(acmeDnsConfigSchema, config, {
          service: 'acme-dns',
          packageName: '@certkeeper/dns-acme-dns',
        }),
      ),
  });

/**
 * An acme-dns provider for the dns-01 solver. Creating it makes no network call.
 *
 * @throws CertkeeperError INVALID_OPTION for a bad URL or credentials that are not the register command's file.
 */
export function acmeDns(options: AcmeDnsOptions): AcmeDnsProvider {
  return new AcmeDnsProvider(options) satisfies DnsProvider & ZoneLister;
}
