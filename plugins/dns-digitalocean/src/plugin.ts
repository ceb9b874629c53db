import {
  type ConfigSchema,
  type DnsProvider,
  type DnsProviderPlugin,
  defineDnsProviderPlugin,
  parsePluginConfig,
  type ZoneLister,
} from '@certkeeper/dns';
import { DigitalOceanDnsProvider } from './digitalocean-provider.js';
import type { DigitalOceanOptions } from './options.js';
import { VERSION } from './version.js';

/** The configuration-file form: the same keys as {@link DigitalOceanOptions}. */
export type DigitalOceanPluginConfig = DigitalOceanOptions;

export const digitaloceanConfigSchema = {
  type: 'object',
  properties: {
    apiToken: {
      type: 'string',
      description:
        'Personal access token with domain:read, domain:create, domain:delete; default $DIGITALOCEAN_TOKEN.',
      secret: true,
    },
    baseUrl: { type: 'string', description: 'API root; default https://api.digitalocean.com/v2.' },
    timeoutMs: { type: 'integer', description: 'Time limit per request in ms; default 30000.' },
    pageSize: { type: 'integer', description: 'Records per listing page, 1 to 200; default 200.' },
    maxRetryWaitMs: {
      type: 'integer',
      description:
        'Longest rate-limit wait taken inline, in ms; longer ones fail with the time; default 5000.',
    },
  },
} as const satisfies ConfigSchema;

/** Loaded by the CLI from the package name. */
export const digitaloceanPlugin: DnsProviderPlugin<DigitalOceanPluginConfig> =
  defineDnsProviderPlugin<DigitalOceanPluginConfig>({
    name: 'digitalocean',
    version: VERSION,
    configSchema: digitaloceanConfigSchema,
    about: {
      service: 'DigitalOcean DNS',
      auth: 'A personal access token with custom scopes domain:read, domain:create and domain:delete (scopes cover every domain of the team; no per-domain limit exists).',
      notes:
        'One record per TXT value, so concurrent writers need no lock; a create looks for the value first (the API accepts duplicates); TTL at least 30 s; rate-limit resets are handed to the caller.',
      homepage: 'https://docs.digitalocean.com/reference/api/digitalocean/#tag/Domain-Records',
    },
    create: (config) =>
      digitalocean(
        parsePluginConfig<DigitalOceanOptions>(digitaloceanConfigSchema, config, {
          service: 'DigitalOcean',
          packageName: '@certkeeper/dns-digitalocean',
        }),
      ),
  });

/**
 * A DigitalOcean DNS provider for the dns-01 solver. Creating it makes no network call.
 *
 * @throws CertkeeperError INVALID_OPTION when neither `apiToken` nor `DIGITALOCEAN_TOKEN` is set.
 */
export function digitalocean(options: DigitalOceanOptions = {}): DigitalOceanDnsProvider {
  return new DigitalOceanDnsProvider(options) satisfies DnsProvider & ZoneLister;
}
