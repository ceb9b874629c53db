import {
  type ConfigSchema,
  type DnsProvider,
  type DnsProviderPlugin,
  defineDnsProviderPlugin,
  parsePluginConfig,
  type ZoneLister,
} from '@certkeeper/dns';
import { DnsimpleDnsProvider } from './dnsimple-provider.js';
import type { DnsimpleOptions } from './options.js';
import { VERSION } from './version.js';

/** The configuration-file form: the keys of {@link DnsimpleOptions} but `redactor`. */
export type DnsimplePluginConfig = Omit<DnsimpleOptions, 'redactor'>;

export const dnsimpleConfigSchema = {
  type: 'object',
  properties: {
    apiToken: {
      type: 'string',
      description: 'Account access token of the account holding the zones; default $DNSIMPLE_TOKEN.',
      secret: true,
    },
    accountId: {
      type: 'integer',
      description: "Account id; default the token's own account (required for a user token).",
    },
    sandbox: { type: 'boolean', description: 'Use the DNSimple sandbox API; default false.' },
    baseUrl: { type: 'string', description: 'API origin without /v2; default https://api.dnsimple.com.' },
    timeoutMs: { type: 'integer', description: 'Time limit per request in ms; default 30000.' },
    pageSize: { type: 'integer', description: 'Items per listing page, 1 to 100; default 100.' },
    maxRetryWaitMs: {
      type: 'integer',
      description:
        'Longest rate-limit wait taken inline, in ms; longer ones fail with the time; default 5000.',
    },
  },
} as const satisfies ConfigSchema;

/** Loaded by the CLI from the package name. */
export const dnsimplePlugin: DnsProviderPlugin<DnsimplePluginConfig> =
  defineDnsProviderPlugin<DnsimplePluginConfig>({
    name: 'dnsimple',
    version: VERSION,
    configSchema: dnsimpleConfigSchema,
    about: {
      service: 'DNSimple',
      auth: 'An account access token (Account → Access tokens) of an account holding only the zones in use; DNSimple tokens cannot be limited to DNS or to one zone, so never a user token, and keep the zones in an account of their own where you can.',
      notes:
        'Official dnsimple SDK over the shared bounded client. One record per TXT value, so concurrent writers need no lock; a create looks for the value first and takes "already exists" as success; TTL at least 60 s; the account is found once from /v2/whoami.',
      homepage: 'https://developer.dnsimple.com/v2/zones/records/',
    },
    create: (config) =>
      dnsimple(
        parsePluginConfig<DnsimplePluginConfig>(dnsimpleConfigSchema, config, {
          service: 'DNSimple',
          packageName: '@certkeeper/dns-dnsimple',
        }),
      ),
  });

/**
 * A DNSimple DNS provider for the dns-01 solver. Creating it makes no network call.
 *
 * @throws CertkeeperError INVALID_OPTION when neither `apiToken` nor `DNSIMPLE_TOKEN` is set.
 */
export function dnsimple(options: DnsimpleOptions = {}): DnsimpleDnsProvider {
  return new DnsimpleDnsProvider(options) satisfies DnsProvider & ZoneLister;
}
