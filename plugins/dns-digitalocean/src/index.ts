export { DigitalOceanDnsProvider } from './digitalocean-provider.js';
export type { DigitalOceanOptions } from './options.js';
export {
  type DigitalOceanPluginConfig,
  digitalocean,
  digitaloceanConfigSchema,
  digitaloceanPlugin,
  /** The descriptor under the name every certkeeper provider package uses, for loaders. */
  digitaloceanPlugin as plugin,
} from './plugin.js';
export { VERSION } from './version.js';
