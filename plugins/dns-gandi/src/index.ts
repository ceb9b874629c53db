export { GandiDnsProvider } from './gandi-provider.js';
export type { GandiOptions } from './options.js';
export {
  type GandiPluginConfig,
  gandi,
  gandiConfigSchema,
  gandiPlugin,
  /** The descriptor under the name every certkeeper provider package uses, for loaders. */
  gandiPlugin as plugin,
} from './plugin.js';
export { VERSION } from './version.js';
