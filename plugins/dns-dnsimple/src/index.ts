export { DnsimpleDnsProvider } from './dnsimple-provider.js';
export type { DnsimpleOptions } from './options.js';
export {
  type DnsimplePluginConfig,
  dnsimple,
  dnsimpleConfigSchema,
  dnsimplePlugin,
  /** The descriptor under the name every certkeeper provider package uses, for loaders. */
  dnsimplePlugin as plugin,
} from './plugin.js';
export { VERSION } from './version.js';
