export { LinodeDnsProvider } from './linode-provider.js';
export { linodeTtl } from './linode-ttl.js';
export type { LinodeOptions } from './options.js';
export {
  type LinodePluginConfig,
  linode,
  linodeConfigSchema,
  linodePlugin,
  /** The descriptor under the name every certkeeper provider package uses, for loaders. */
  linodePlugin as plugin,
} from './plugin.js';
export { VERSION } from './version.js';
