import {
  type ConfigSchema,
  type DnsProvider,
  type DnsProviderPlugin,
  defineDnsProviderPlugin,
  parsePluginConfig,
  type ZoneLister,
} from '@certkeeper/dns';
import { HetznerDnsProvider } from './hetzner-provider.js';
import type { HetznerOptions } from './options.js';
import { VERSION } from './version.js';

/** The configuration-file form: the same keys as {@link HetznerOptions}. */
export type HetznerPluginConfig = HetznerOptions;

export const hetznerConfigSchema = {
  type: 'object',
  properties: {
    apiToken: {
      type: 'string',
      description:
        'Read & Write API token of the project holding the zones; default $HETZNER_API_TOKEN, then $HCLOUD_TOKEN.',
      secret: true,
    },
    baseUrl: { type: 'string', description: 'API root; default https://api.hetzner.cloud/v1.' },
    timeoutMs: { type: 'integer', description: 'Time limit per request in ms; default 30000.' },
    actionTimeoutMs: {
      type: 'integer',
      description: 'Longest wait for a record change to finish, in ms; default 60000.',
    },
    actionPollIntervalMs: {
      type: 'integer',
      description: 'First poll of a running change after this many ms; default 250.',
    },
    pageSize: { type: 'integer', description: 'Items per listing page, 1 to 100; default 100.' },
    maxRetryWaitMs: {
      type: 'integer',
      description:
        'Longest rate-limit wait taken inline, in ms; longer ones fail with the time; default 5000.',
    },
  },
} as const satisfies ConfigSchema;

/** Loaded by the CLI from the package name. */
export const hetznerPlugin: DnsProviderPlugin<HetznerPluginConfig> =
  defineDnsProviderPlugin<HetznerPluginConfig>({
    name: 'hetzner',
    version: VERSION,
    configSchema: hetznerConfigSchema,
    about: {
      service: 'Hetzner DNS (Hetzner Console, Cloud API)',
      auth: 'A Read & Write API token of a Hetzner Console project; tokens cover the whole project, so keep the zones in a project of their own.',
      notes:
        'Atomic add_records / remove_records actions per value, so concurrent writers lose nothing; each write waits for its action; TXT values quoted; TTL at least 60 s. Zones still on the old dns.hetzner.com API must be migrated first.',
      homepage: 'https://docs.hetzner.cloud/reference/cloud#zone-rrset-actions',
    },
    create: (config) =>
      hetzner(
        parsePluginConfig<HetznerOptions>(hetznerConfigSchema, config, {
          service: 'Hetzner',
          packageName: '@certkeeper/dns-hetzner',
        }),
      ),
  });

/**
 * A Hetzner DNS provider for the dns-01 solver. Creating it makes no network call.
 *
 * @throws CertkeeperError INVALID_OPTION when no token is given or set in the environment.
 */
export function hetzner(options: HetznerOptions = {}): HetznerDnsProvider {
  return new HetznerDnsProvider(options) satisfies DnsProvider & ZoneLister;
}
