export { CLOUD_DNS_SCOPE, signedAssertion } from './access-tokens.js';
export { GoogleCloudDnsProvider, type GoogleCloudDnsProviderOptions } from './google-cloud-provider.js';
export type { GoogleCloudDnsOptions } from './options.js';
export {
  type GoogleCloudDnsPluginConfig,
  googleCloudDns,
  googleCloudDnsConfigSchema,
  googleCloudDnsPlugin,
  /** The descriptor under the name every certkeeper provider package uses, for loaders. */
  googleCloudDnsPlugin as plugin,
} from './plugin.js';
export { VERSION } from './version.js';
