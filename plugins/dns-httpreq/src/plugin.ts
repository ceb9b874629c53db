import {
  type ConfigSchema,
  type DnsProvider,
  type DnsProviderPlugin,
  defineDnsProviderPlugin,
  parsePluginConfig,
} from '@certkeeper/dns';
import { HttpreqDnsProvider } from './httpreq-provider.js';
import type { HttpreqOptions } from './options.js';
import { VERSION } from './version.js';

/** The configuration-file form: the same keys as {@link HttpreqOptions}. */
export type HttpreqPluginConfig = HttpreqOptions;

export const httpreqConfigSchema = {
  type: 'object',
  properties: {
    endpoint: {
      type: 'string',
      description: 'Webhook base URL (lego HTTPREQ_ENDPOINT); /present and /cleanup are appended.',
    },
    username: { type: 'string', description: 'Basic authentication user (lego HTTPREQ_USERNAME).' },
    password: {
      type: 'string',
      description: 'Basic authentication password (lego HTTPREQ_PASSWORD).',
      secret: true,
    },
    list: {
      type: 'boolean',
      description: 'The server implements POST /list (a certkeeper extension); default false.',
    },
    timeoutMs: {
      type: 'integer',
      description: 'Time limit per request in ms (lego HTTPREQ_HTTP_TIMEOUT); default 30000.',
    },
    maxRetryWaitMs: {
      type: 'integer',
      description: 'Longest Retry-After waited inline, in ms; longer ones fail with the time; default 5000.',
    },
  },
  required: ['endpoint'],
} as const satisfies ConfigSchema;

/** Loaded by the CLI from the package name. */
export const httpreqPlugin: DnsProviderPlugin<HttpreqPluginConfig> =
  defineDnsProviderPlugin<HttpreqPluginConfig>({
    name: 'httpreq',
    version: VERSION,
    configSchema: httpreqConfigSchema,
    about: {
      service: 'Any HTTP webhook (lego httpreq-compatible)',
      auth: 'Optional basic authentication (username + password); use HTTPS, and a server that lets these credentials change only TXT records at _acme-challenge names.',
      notes:
        'POST /present and /cleanup with {fqdn, value}, as lego sends them; RAW mode ({domain, token, keyAuth}) is HttpreqRawSolver, in code. listRecords needs the POST /list extension.',
      homepage: 'https://go-acme.github.io/lego/dns/httpreq/',
    },
    create: (config) =>
      httpreq(
        parsePluginConfig<HttpreqOptions>(httpreqConfigSchema, config, {
          service: 'httpreq',
          packageName: '@certkeeper/dns-httpreq',
        }),
      ),
  });

/**
 * A provider that calls a lego-compatible `httpreq` webhook. Creating it makes no network call.
 *
 * @throws CertkeeperError INVALID_OPTION for a bad endpoint or half of the basic-authentication pair.
 */
export function httpreq(options: HttpreqOptions): HttpreqDnsProvider {
  return new HttpreqDnsProvider(options) satisfies DnsProvider;
}
