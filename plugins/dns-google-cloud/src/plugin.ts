import {
  type ConfigSchema,
  type DnsProvider,
  type DnsProviderPlugin,
  defineDnsProviderPlugin,
  parsePluginConfig,
  type ZoneLister,
} from '@certkeeper/dns';
import { GoogleCloudDnsProvider, type GoogleCloudDnsProviderOptions } from './google-cloud-provider.js';
import type { GoogleCloudDnsOptions } from './options.js';
import { VERSION } from './version.js';

/** The configuration-file form: the same keys as {@link GoogleCloudDnsOptions}. */
export type GoogleCloudDnsPluginConfig = GoogleCloudDnsOptions;

export const googleCloudDnsConfigSchema = {
  type: 'object',
  properties: {
    serviceAccountKey: {
      type: 'string',
      description:
        'Service-account JSON key (write { file: path }); default application default credentials ($GOOGLE_APPLICATION_CREDENTIALS, gcloud, metadata server).',
      secret: true,
    },
    project: {
      type: 'string',
      description:
        "Project holding the managed zones; default the key's project_id, then $GOOGLE_CLOUD_PROJECT.",
    },
    managedZone: {
      type: 'string',
      description: 'Managed-zone name to use instead of finding the public zone by DNS name.',
    },
    baseUrl: { type: 'string', description: 'API root; default https://dns.googleapis.com/dns/v1.' },
    metadataHost: {
      type: 'string',
      description:
        'Metadata server host for credentials off a key; default $GCE_METADATA_HOST or metadata.google.internal.',
    },
    timeoutMs: { type: 'integer', description: 'Time limit per request in ms; default 30000.' },
    pageSize: {
      type: 'integer',
      description: 'Items per listing page (maxResults), 1 to 1000; default 100.',
    },
    maxRetryWaitMs: {
      type: 'integer',
      description:
        'Longest rate-limit wait taken inline, in ms; longer ones fail with the time; default 5000.',
    },
    changeTimeoutMs: {
      type: 'integer',
      description:
        'How long a write waits for its change to turn from pending to done, in ms; default 60000.',
    },
    changePollMs: {
      type: 'integer',
      description: 'First wait before polling a pending change, in ms; default 500.',
    },
  },
} as const satisfies ConfigSchema;

/** Loaded by the CLI from the package name. */
export const googleCloudDnsPlugin: DnsProviderPlugin<GoogleCloudDnsPluginConfig> =
  defineDnsProviderPlugin<GoogleCloudDnsPluginConfig>({
    name: 'google-cloud',
    version: VERSION,
    configSchema: googleCloudDnsConfigSchema,
    about: {
      service: 'Google Cloud DNS',
      auth: 'A service account (JSON key, or attached: application default credentials) with roles/dns.admin granted on the managed zone only (zone-level IAM), or a custom role with dns.managedZones.list, dns.resourceRecordSets.list/create/update/delete, dns.changes.create and dns.changes.get.',
      notes:
        'REST API v1 (the @google-cloud/dns SDK cannot be pointed at a local token endpoint); one record set per name replaced whole through changes whose exact deletions make concurrent writers safe; waits for pending changes to be done; public zones found by DNS name.',
      homepage: 'https://cloud.google.com/dns/docs/reference/rest/v1',
    },
    create: (config) =>
      googleCloudDns(
        parsePluginConfig<GoogleCloudDnsOptions>(googleCloudDnsConfigSchema, config, {
          service: 'Google Cloud DNS',
          packageName: '@certkeeper/dns-google-cloud',
        }),
      ),
  });

/**
 * A Google Cloud DNS provider for the dns-01 solver. Creating it makes no network call and reads no file.
 *
 * @throws CertkeeperError INVALID_OPTION for an out-of-range option.
 */
export function googleCloudDns(options: GoogleCloudDnsProviderOptions = {}): GoogleCloudDnsProvider {
  return new GoogleCloudDnsProvider(options) satisfies DnsProvider & ZoneLister;
}
