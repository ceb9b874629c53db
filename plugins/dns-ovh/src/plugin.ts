import {
  type ConfigSchema,
  type DnsProvider,
  type DnsProviderPlugin,
  defineDnsProviderPlugin,
  parsePluginConfig,
  type ZoneLister,
} from '@certkeeper/dns';
import type { OvhOptions } from './options.js';
import { OvhDnsProvider } from './ovh-provider.js';
import { VERSION } from './version.js';

/** The configuration-file form: the keys of {@link OvhOptions} but `redactor`. */
export type OvhPluginConfig = Omit<OvhOptions, 'redactor'>;

export const ovhConfigSchema = {
  type: 'object',
  properties: {
    endpoint: {
      type: 'string',
      enum: ['ovh-eu', 'ovh-ca', 'ovh-us'],
      description: "API of the account's region; default $OVH_ENDPOINT, then ovh-eu.",
    },
    applicationKey: {
      type: 'string',
      description: 'Application key; default $OVH_APPLICATION_KEY.',
      secret: true,
    },
    applicationSecret: {
      type: 'string',
      description: 'Application secret; default $OVH_APPLICATION_SECRET.',
      secret: true,
    },
    consumerKey: {
      type: 'string',
      description: "Consumer key limited to the zone's record and refresh calls; default $OVH_CONSUMER_KEY.",
      secret: true,
    },
    baseUrl: {
      type: 'string',
      description: "HTTPS API root instead of the endpoint's (https://host[:port]/1.0).",
    },
    timeoutMs: { type: 'integer', description: 'Time limit per request in ms; default 30000.' },
    readConcurrency: { type: 'integer', description: 'Records read at once, 1 to 16; default 4.' },
  },
} as const satisfies ConfigSchema;

/** Loaded by the CLI from the package name. */
export const ovhPlugin: DnsProviderPlugin<OvhPluginConfig> = defineDnsProviderPlugin<OvhPluginConfig>({
  name: 'ovh',
  version: VERSION,
  configSchema: ovhConfigSchema,
  about: {
    service: 'OVHcloud DNS (EU, CA, US)',
    auth: 'An application key and secret and a consumer key whose access rules allow only GET /domain/zone, GET+POST /domain/zone/<zone>/record, GET+DELETE /domain/zone/<zone>/record/*, POST /domain/zone/<zone>/refresh, given an expiry.',
    notes:
      'Official @ovhcloud/node-ovh SDK (signed requests, server clock from /auth/time). One record per TXT value; listings return ids, so each record is read on its own; every change is followed by a zone refresh (coalesced per zone), without which nothing is served; TTL at least 60 s.',
    homepage: 'https://eu.api.ovh.com/console/?section=%2Fdomain&branch=v1',
  },
  create: (config) =>
    ovh(
      parsePluginConfig<OvhPluginConfig>(ovhConfigSchema, config, {
        service: 'OVHcloud',
        packageName: '@certkeeper/dns-ovh',
      }),
    ),
});

/**
 * An OVHcloud DNS provider for the dns-01 solver. Creating it makes no network call.
 *
 * @throws CertkeeperError INVALID_OPTION when a credential is missing or `endpoint`/`baseUrl` is not valid.
 */
export function ovh(options: OvhOptions = {}): OvhDnsProvider {
  return new OvhDnsProvider(options) satisfies DnsProvider & ZoneLister;
}
