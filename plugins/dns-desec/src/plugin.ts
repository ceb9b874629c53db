import {
  type ChangeBatcher,
  type ConfigSchema,
  type DnsProvider,
  type DnsProviderPlugin,
  defineDnsProviderPlugin,
  parsePluginConfig,
  type ZoneLister,
} from '@certkeeper/dns';
import { DesecDnsProvider } from './desec-provider.js';
import type { DesecOptions } from './options.js';
import { VERSION } from './version.js';

/** The configuration-file form: the same keys as {@link DesecOptions}. */
export type DesecPluginConfig = DesecOptions;

export const desecConfigSchema = {
  type: 'object',
  properties: {
    apiToken: {
      type: 'string',
      description:
        'deSEC API token, restricted by a token policy to the _acme-challenge TXT RRsets; default $DESEC_TOKEN.',
      secret: true,
    },
    baseUrl: { type: 'string', description: 'API root; default https://desec.io/api/v1.' },
    timeoutMs: { type: 'integer', description: 'Time limit per request in ms; default 30000.' },
    maxRetryWaitMs: {
      type: 'integer',
      description:
        'Longest Retry-After waited inline after throttling, in ms; longer ones fail with the time; default 5000.',
    },
  },
} as const satisfies ConfigSchema;

/** Loaded by the CLI from the package name. */
export const desecPlugin: DnsProviderPlugin<DesecPluginConfig> = defineDnsProviderPlugin<DesecPluginConfig>({
  name: 'desec',
  version: VERSION,
  configSchema: desecConfigSchema,
  about: {
    service: 'deSEC',
    auth: 'An API token (Authorization: Token) with a token policy: default policy without write permission, and perm_write only for the TXT RRsets at the _acme-challenge names; optionally allowed_subnets.',
    notes:
      'RRset read-modify-write (values quoted), one atomic bulk write per zone per order (deSEC allows 15 RRset writes per minute per domain); throttling honoured with Retry-After; TTL at least the domain minimum (3600 s by default); two processes writing one name at once can lose a value.',
    homepage: 'https://desec.readthedocs.io/en/latest/dns/rrsets.html',
  },
  create: (config) =>
    desec(
      parsePluginConfig<DesecOptions>(desecConfigSchema, config, {
        service: 'deSEC',
        packageName: '@certkeeper/dns-desec',
      }),
    ),
});

/**
 * A deSEC provider for the dns-01 solver. Creating it makes no network call.
 *
 * @throws CertkeeperError INVALID_OPTION when neither `apiToken` nor `DESEC_TOKEN` is set.
 */
export function desec(options: DesecOptions = {}): DesecDnsProvider {
  return new DesecDnsProvider(options) satisfies DnsProvider & ZoneLister & ChangeBatcher;
}
