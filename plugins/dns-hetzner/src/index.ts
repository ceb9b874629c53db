export { HetznerDnsProvider } from './hetzner-provider.js';
export type { HetznerOptions } from './options.js';
export {
  type HetznerPluginConfig,
  hetzner,
  hetznerConfigSchema,
  hetznerPlugin,
  /** The descriptor under the name every certkeeper provider package uses, for loaders. */
  hetznerPlugin as plugin,
} from './plugin.js';
export { VERSION } from './version.js';
