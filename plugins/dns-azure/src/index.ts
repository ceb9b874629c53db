export { AzureDnsProvider } from './azure-provider.js';
export type { AzureDnsOptions } from './options.js';
export {
  type AzureDnsPluginConfig,
  azureDns,
  azureDnsConfigSchema,
  azureDnsPlugin,
  /** The descriptor under the name every certkeeper provider package uses, for loaders. */
  azureDnsPlugin as plugin,
} from './plugin.js';
export { VERSION } from './version.js';
