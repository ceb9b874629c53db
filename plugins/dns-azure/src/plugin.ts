import {
  type ConfigSchema,
  type DnsProvider,
  type DnsProviderPlugin,
  defineDnsProviderPlugin,
  parsePluginConfig,
  type ZoneLister,
} from '@certkeeper/dns';
import { AzureDnsProvider } from './azure-provider.js';
import type { AzureDnsOptions } from './options.js';
import { VERSION } from './version.js';

/** The configuration-file form: {@link AzureDnsOptions} without the code-only `agent` and `redactor`. */
export type AzureDnsPluginConfig = Omit<AzureDnsOptions, 'agent' | 'redactor'>;

export const azureDnsConfigSchema = {
  type: 'object',
  properties: {
    subscriptionId: {
      type: 'string',
      description: 'Subscription holding the DNS zones; default $AZURE_SUBSCRIPTION_ID.',
    },
    resourceGroup: {
      type: 'string',
      description: 'Resource group to look for zones in; default the whole subscription.',
    },
    tenantId: {
      type: 'string',
      description: 'Directory (tenant) id of the app registration; default $AZURE_TENANT_ID.',
    },
    clientId: {
      type: 'string',
      description:
        'Application (client) id of the app registration or of a user-assigned managed identity; default $AZURE_CLIENT_ID.',
    },
    clientSecret: {
      type: 'string',
      description:
        "The app registration's client secret; default $AZURE_CLIENT_SECRET; without one a managed identity is used.",
      secret: true,
    },
    authentication: {
      type: 'string',
      enum: ['clientSecret', 'managedIdentity'],
      description: 'How to sign in; default clientSecret when clientSecret is set, else managedIdentity.',
    },
    armEndpoint: {
      type: 'string',
      description: 'Resource Manager endpoint; default https://management.azure.com.',
    },
    authorityHost: {
      type: 'string',
      description: 'Entra ID authority host; default https://login.microsoftonline.com.',
    },
    timeoutMs: { type: 'integer', description: 'Time limit per request in ms; default 30000.' },
    maxRetryWaitMs: {
      type: 'integer',
      description:
        'Longest throttling wait taken inline, in ms; longer ones fail with the time; default 5000.',
    },
  },
} as const satisfies ConfigSchema;

/** Loaded by the CLI from the package name. */
export const azureDnsPlugin: DnsProviderPlugin<AzureDnsPluginConfig> =
  defineDnsProviderPlugin<AzureDnsPluginConfig>({
    name: 'azure',
    version: VERSION,
    configSchema: azureDnsConfigSchema,
    about: {
      service: 'Azure DNS',
      auth: 'An app registration (client secret) or a managed identity, given the built-in "DNS Zone Contributor" role on the zone only (or a custom role with Microsoft.Network/dnszones/read, dnszones/TXT/read, write and delete), plus Reader on the resource group for zone discovery.',
      notes:
        'Official SDKs (@azure/arm-dns, @azure/identity); one record set per name, adding merges and removing keeps the others, writes conditional on the etag (If-Match / If-None-Match) so concurrent writers are safe; zones found by listing the resource group or subscription; ARM throttling (429 Retry-After) handed to the caller when long.',
      homepage: 'https://learn.microsoft.com/rest/api/dns/',
    },
    create: (config) =>
      azureDns(
        parsePluginConfig<AzureDnsPluginConfig>(azureDnsConfigSchema, config, {
          service: 'Azure DNS',
          packageName: '@certkeeper/dns-azure',
        }),
      ),
  });

/**
 * An Azure DNS provider for the dns-01 solver. Creating it makes no network call.
 *
 * @throws CertkeeperError INVALID_OPTION without a subscription id, or client-secret sign-in missing a field.
 */
export function azureDns(options: AzureDnsOptions = {}): AzureDnsProvider {
  return new AzureDnsProvider(options) satisfies DnsProvider & ZoneLister;
}
