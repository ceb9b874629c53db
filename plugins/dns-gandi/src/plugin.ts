import {
  type ConfigSchema,
  type DnsProvider,
  type DnsProviderPlugin,
  defineDnsProviderPlugin,
  parsePluginConfig,
  type ZoneLister,
} from '@certkeeper/dns';
import { GandiDnsProvider } from './gandi-provider.js';
import type { GandiOptions } from './options.js';
import { VERSION } from './version.js';

/** The configuration-file form: the same keys as {@link GandiOptions}. */
export type GandiPluginConfig = GandiOptions;

export const gandiConfigSchema = {
  type: 'object',
  properties: {
    apiToken: {
      type: 'string',
      description:
        'Personal access token allowed to manage the technical configuration of the domains; default $GANDI_PAT.',
      secret: true,
    },
    baseUrl: { type: 'string', description: 'API root; default https://api.gandi.net/v5/livedns.' },
    timeoutMs: { type: 'integer', description: 'Time limit per request in ms; default 30000.' },
    pageSize: { type: 'integer', description: 'Items per listing page; default 100.' },
    maxRetryWaitMs: {
      type: 'integer',
      description: 'Longest Retry-After waited inline, in ms; longer ones fail with the time; default 5000.',
    },
  },
} as const satisfies ConfigSchema;

/** Loaded by the CLI from the package name. */
export const gandiPlugin: DnsProviderPlugin<GandiPluginConfig> = defineDnsProviderPlugin<GandiPluginConfig>({
  name: 'gandi',
  version: VERSION,
  configSchema: gandiConfigSchema,
  about: {
    service: 'Gandi LiveDNS',
    auth: 'A personal access token (Authorization: Bearer) with "Manage domain name technical configurations", restricted to the domains in use and given an expiry; the deprecated API key is not supported.',
    notes:
      'One record set per name with a values array: read, append, PUT back (values quoted), under a per-name lock; TTL at least 300 s; two processes writing one name at once can lose a value.',
    homepage: 'https://api.gandi.net/docs/livedns/',
  },
  create: (config) =>
    gandi(
      parsePluginConfig<GandiOptions>(gandiConfigSchema, config, {
        service: 'Gandi',
        packageName: '@certkeeper/dns-gandi',
      }),
    ),
});

/**
 * A Gandi LiveDNS provider for the dns-01 solver. Creating it makes no network call.
 *
 * @throws CertkeeperError INVALID_OPTION when neither `apiToken` nor `GANDI_PAT` is set.
 */
export function gandi(options: GandiOptions = {}): GandiDnsProvider {
  return new GandiDnsProvider(options) satisfies DnsProvider & ZoneLister;
}
