import {
  type ConfigSchema,
  type DnsProvider,
  type DnsProviderPlugin,
  defineDnsProviderPlugin,
  parsePluginConfig,
  type ZoneLister,
} from '@certkeeper/dns';
import { LinodeDnsProvider } from './linode-provider.js';
import type { LinodeOptions } from './options.js';
import { VERSION } from './version.js';

/** The configuration-file form: the keys of {@link LinodeOptions} but `redactor`. */
export type LinodePluginConfig = Omit<LinodeOptions, 'redactor'>;

export const linodeConfigSchema = {
  type: 'object',
  properties: {
    apiToken: {
      type: 'string',
      description: 'Personal access token with the Domains read/write scope; default $LINODE_TOKEN.',
      secret: true,
    },
    baseUrl: { type: 'string', description: 'API root; default https://api.linode.com/v4.' },
    timeoutMs: { type: 'integer', description: 'Time limit per request in ms; default 30000.' },
    pageSize: { type: 'integer', description: 'Items per listing page, 25 to 500; default 500.' },
    maxRetryWaitMs: {
      type: 'integer',
      description:
        'Longest rate-limit wait taken inline, in ms; longer ones fail with the time; default 5000.',
    },
  },
} as const satisfies ConfigSchema;

/** Loaded by the CLI from the package name. */
export const linodePlugin: DnsProviderPlugin<LinodePluginConfig> =
  defineDnsProviderPlugin<LinodePluginConfig>({
    name: 'linode',
    version: VERSION,
    configSchema: linodeConfigSchema,
    about: {
      service: 'Linode (Akamai Cloud) DNS Manager',
      auth: 'A personal access token with only the Domains scope at Read/Write (Cloud Manager → API Tokens; every other scope "No Access"); it covers every domain of the account.',
      notes:
        'One record per TXT value, so concurrent writers need no lock; a create looks for the value first (the API accepts duplicates); TTL sent as the next valid Linode TTL (30, 120, 300, 3600, …); only master domains are zones; changes reach the nameservers after a delay the solver waits out.',
      homepage: 'https://techdocs.akamai.com/linode-api/reference/get-domain-records',
    },
    create: (config) =>
      linode(
        parsePluginConfig<LinodePluginConfig>(linodeConfigSchema, config, {
          service: 'Linode',
          packageName: '@certkeeper/dns-linode',
        }),
      ),
  });

/**
 * A Linode (Akamai) DNS provider for the dns-01 solver. Creating it makes no network call.
 *
 * @throws CertkeeperError INVALID_OPTION when neither `apiToken` nor `LINODE_TOKEN` is set.
 */
export function linode(options: LinodeOptions = {}): LinodeDnsProvider {
  return new LinodeDnsProvider(options) satisfies DnsProvider & ZoneLister;
}
